import { fromBase64Url, type ProfileKey } from '../crypto/index.ts';
import { decodeStoredRecord, type StoredRecord } from '../shared/records/index.ts';
import type { Change } from '../shared/sync.ts';
import type { VaultCrypto } from '../vault/index.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

// Opens a pulled change as the vault opens its own rows (same binding: profile, entity, sync
// kind), checking that a `profile` change holds the profile's patient record and a `record`
// change anything else, so the server cannot relabel one as the other.
export async function openChange({
	crypto,
	profileKey,
	change
}: {
	crypto: VaultCrypto;
	profileKey: ProfileKey;
	change: Pick<Change, 'profileId' | 'entityId' | 'kind' | 'ciphertext'>;
}): Promise<StoredRecord> {
	const plaintext = await crypto.openEnvelope({
		profileKey,
		binding: { profileId: change.profileId, entityId: change.entityId, kind: change.kind },
		envelope: fromBase64Url(change.ciphertext)
	});
	const doc = decodeStoredRecord(utf8.decode(plaintext));
	const isPatient = doc.kind === 'patient';
	if (
		isPatient !== (change.kind === 'profile') ||
		(isPatient && change.entityId !== change.profileId)
	) {
		throw new TypeError(`A ${change.kind} change cannot hold a ${doc.kind} record`);
	}
	return doc;
}
