import { sameEnvelope, type RecordRow, type UserDb } from '../db/index.ts';
import { openRecord, sealRecord } from '../vault/record-envelope.ts';
import type { VaultCrypto } from '../vault/index.ts';
import type { ProfileKeyRing } from './profile-key-ring.ts';

// Before a push: a record sealed under an older key version than its profile's current one (the
// profile key rotated after the write, when a member was removed) is sealed again under the
// current key and stored so, since the server refuses writes under a superseded version. If the
// record changed meanwhile, or does not open, it is pushed as it is and the server's answer
// (stale_key_version) shows on the "Offline changes" page.
export function createResealer({
	db,
	crypto,
	keys
}: {
	db: UserDb;
	crypto: VaultCrypto;
	keys: Pick<ProfileKeyRing, 'get' | 'current'>;
}): (row: RecordRow) => Promise<RecordRow> {
	return async (row) => {
		const current = await keys.current(row.profileId).catch(() => undefined);
		if (!current || row.keyVersion >= current.version) return row;
		let resealed: RecordRow;
		try {
			const doc = await openRecord({
				crypto,
				profileKey: await keys.get(row.profileId, row.keyVersion),
				row
			});
			const envelope = await sealRecord({ crypto, profileKey: current, row, doc });
			resealed = { ...row, keyVersion: current.version, envelope };
		} catch {
			return row;
		}
		const written = await db.transaction('rw', db.records, async () => {
			const now = await db.records.get(row.id);
			if (!sameEnvelope(now?.envelope, row.envelope)) return false;
			await db.records.put(resealed);
			return true;
		});
		return written ? resealed : row;
	};
}
