import {
	isQuotaExceeded,
	sameEnvelope,
	writeConflictMarks,
	recordKey,
	type OutboxRow,
	type RecordRef,
	type RecordRow,
	type UserDb
} from '../db/index.ts';
import { ConcurrentWriteError, StorageFullError } from './errors.ts';

export type OutboxEntry = Omit<OutboxRow, 'seq'>;
export interface Change {
	row: RecordRow;
	outbox: OutboxEntry;
	// Whether the written record holds an unresolved conflict (src/lib/db/conflict-marks.ts).
	conflicted: boolean;
}

const MAX_ATTEMPTS = 5;

class StaleRead extends Error {}

export function storageError(error: unknown): unknown {
	return isQuotaExceeded(error) ? new StorageFullError({ cause: error }) : error;
}

// Read, decrypt, stamp and seal happen outside the transaction (IndexedDB commits a transaction
// that waits on WebCrypto), so the write checks that the record is still what was read —
// envelopes carry a random IV, so equal bytes mean the same write — and starts over if another
// tab got there first. The record and its outbox row then commit together or not at all.
export async function commitChange({
	db,
	ref,
	prepare
}: {
	db: UserDb;
	ref: RecordRef;
	prepare: (current: RecordRow | undefined) => Promise<Change | undefined>;
}): Promise<boolean> {
	for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
		const current = await db.profileRecords.get(recordKey(ref));
		const change = await prepare(current);
		if (!change) return false;
		try {
			await db.transaction('rw', [db.profileRecords, db.outbox, db.settings], async () => {
				const now = await db.profileRecords.get(recordKey(ref));
				if (!sameEnvelope(now?.envelope, current?.envelope)) throw new StaleRead();
				await db.profileRecords.put(change.row);
				await db.outbox.add(change.outbox);
				const { id, profileId } = ref;
				await writeConflictMarks(db, [{ id, profileId, conflicted: change.conflicted }]);
			});
			return true;
		} catch (error) {
			if (error instanceof StaleRead) continue;
			throw storageError(error);
		}
	}
	throw new ConcurrentWriteError(ref.id);
}
