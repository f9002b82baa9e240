import { CryptoError, type EnvelopeBinding, type ProfileKey } from '../crypto/index.ts';
import type { RecordRow } from '../db/index.ts';
import {
	decodeStoredRecord,
	encodeStoredRecord,
	type RecordKind,
	type StoredRecord
} from '../shared/records/index.ts';
import { UndecryptableRecordError } from './errors.ts';
import type { VaultCrypto } from './vault-crypto.ts';

// The binding uses the sync kind ('profile' for the patient record whose id is the profile's,
// 'record' for the rest), the same kinds the outbox and the server use, so a device pulling a
// record it has never seen can open it. The record kind travels inside the ciphertext and must
// match the plaintext `kind` column, so neither can be swapped without detection.
export function syncKindOf(kind: RecordKind): 'profile' | 'record' {
	return kind === 'patient' ? 'profile' : 'record';
}

export function recordBinding(row: Pick<RecordRow, 'id' | 'profileId' | 'kind'>): EnvelopeBinding {
	return { profileId: row.profileId, entityId: row.id, kind: syncKindOf(row.kind) };
}

export async function sealRecord({
	crypto,
	profileKey,
	row,
	doc
}: {
	crypto: VaultCrypto;
	profileKey: ProfileKey;
	row: Pick<RecordRow, 'id' | 'profileId' | 'kind'>;
	doc: StoredRecord;
}): Promise<Uint8Array> {
	return crypto.sealEnvelope({
		profileKey,
		binding: recordBinding(row),
		plaintext: utf8Encoder.encode(encodeStoredRecord(doc))
	});
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

// Every way a stored record can fail to open — wrong or missing key, tampered bytes, a body that
// is not a stored record, a kind that disagrees with its row — is one UndecryptableRecordError.
export async function openRecord({
	crypto,
	profileKey,
	row
}: {
	crypto: VaultCrypto;
	profileKey: ProfileKey;
	row: RecordRow;
}): Promise<StoredRecord> {
	try {
		const plaintext = await crypto.openEnvelope({
			profileKey,
			binding: recordBinding(row),
			envelope: row.envelope
		});
		const doc = decodeStoredRecord(utf8.decode(plaintext));
		if (doc.kind !== row.kind) throw new TypeError(`Row says ${row.kind}, envelope ${doc.kind}`);
		return doc;
	} catch (cause) {
		throw new UndecryptableRecordError(row.id, { cause });
	}
}

export function isUndecryptable(error: unknown): boolean {
	return error instanceof UndecryptableRecordError || error instanceof CryptoError;
}
