import type { ProfileKey } from '../crypto/index.ts';
import { recordKey, sameEnvelope, type RecordRow, type UserDb } from '../db/index.ts';
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
	// pushOutbox reseals a whole batch in one go, and nearly always finds nothing to do; the
	// current key costs a read of the profile row, once per record ≈ 2.4 s of a 10,000-record
	// upload (bench/sync). So it is read once per profile for such a burst of calls, which ends
	// with the first task after the read (a push request, a reseal's own write): then it is read
	// afresh.
	let burst: Map<string, Promise<ProfileKey | undefined>> | undefined;
	const currentKey = (profileId: string) => {
		const keysOfBurst = (burst ??= new Map());
		let key = keysOfBurst.get(profileId);
		if (!key) {
			key = keys
				.current(profileId)
				.catch(() => undefined)
				.finally(() => {
					setTimeout(() => {
						if (burst === keysOfBurst) burst = undefined;
					});
				});
			keysOfBurst.set(profileId, key);
		}
		return key;
	};
	return async (row) => {
		const current = await currentKey(row.profileId);
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
		const written = await db.transaction('rw', db.profileRecords, async () => {
			const now = await db.profileRecords.get(recordKey(row));
			if (!sameEnvelope(now?.envelope, row.envelope)) return false;
			await db.profileRecords.put(resealed);
			return true;
		});
		return written ? resealed : row;
	};
}
