import { isQuotaExceeded, type OutboxRow, type RecordRow, type UserDb } from '../db/index.ts';
import { ConcurrentWriteError, StorageFullError } from './errors.ts';

export type OutboxEntry = Omit<OutboxRow, 'seq'>;
export interface Change {
	row: RecordRow;
	outbox: OutboxEntry;
}

const MAX_ATTEMPTS = 5;

class StaleRead extends Error {}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
	if (a === undefined || b === undefined) return a === b;
	return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

export function storageError(error: unknown): unknown {
	return isQuotaExceeded(error) ? new StorageFullError({ cause: error }) : error;
}

// Read, decrypt, stamp and seal happen outside the transaction (IndexedDB commits a transaction
// that waits on WebCrypto), so the write checks that the record is still what was read —
// envelopes carry a random IV, so equal bytes mean the same write — and starts over if another
// tab got there first. The record and its outbox row then commit together or not at all.
export async function commitChange({
	db,
	id,
	prepare
}: {
	db: UserDb;
	id: string;
	prepare: (current: RecordRow | undefined) => Promise<Change | undefined>;
}): Promise<boolean> {
	for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
		const current = await db.records.get(id);
		const change = await prepare(current);
		if (!change) return false;
		try {
			await db.transaction('rw', db.records, db.outbox, async () => {
				const now = await db.records.get(id);
				if (!sameBytes(now?.envelope, current?.envelope)) throw new StaleRead();
				await db.records.put(change.row);
				await db.outbox.add(change.outbox);
			});
			return true;
		} catch (error) {
			if (error instanceof StaleRead) continue;
			throw storageError(error);
		}
	}
	throw new ConcurrentWriteError(id);
}
