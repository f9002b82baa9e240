import { Dexie } from 'dexie';
import { isQuotaExceeded, type RecordRow } from '../db/index.ts';
import {
	stampRecord,
	validateRecord,
	type RecordInput,
	type RecordKind
} from '../shared/records/index.ts';
import { ENTITY_ID } from './entity-id.ts';
import {
	ProfileNotFoundError,
	RecordExistsError,
	RecordsValidationError,
	StorageFullError
} from './errors.ts';
import { sealRecord } from './record-envelope.ts';
import type { VaultContext } from './vault-context.ts';
import { outboxEntry } from './write-record.ts';

// The patient record is its profile's own and already exists: it is edited with saveRecord.
type BulkKind = Exclude<RecordKind, 'patient'>;
export type NewRecord = {
	[K in BulkKind]: { kind: K; data: RecordInput<K>; id?: string };
}[BulkKind];

// Adds many new records to one profile in one commit, for imports (a lab report's results,
// issue 5). Every record is validated before anything else happens, stamped as saveRecord stamps
// a new record, sealed concurrently, and then ONE transaction adds the record rows and their
// outbox rows: all of them or none. Saving 2,000 lab results one saveRecord at a time (a
// transaction each) took 7.2 s in Chromium; one saveRecords took 0.9 s (2026-11, 2 cores).
//
// New records only. An id that is stored already (or appears twice) fails the whole batch with
// RecordExistsError: merging a batch into existing records would need each one read, opened
// and diffed, which is saveRecord's job.
const CHUNK = 500;
const FIRST_CHUNK = 100;

// [start, end) of each chunk: a small first one, so IndexedDB starts writing while the rest is
// still being sealed, then CHUNK at a time (100 then 500 beat 500s and 100/250s, bench/store).
function chunkBounds(count: number): [number, number][] {
	const bounds: [number, number][] = [];
	for (let start = 0, end = FIRST_CHUNK; start < count; start = end, end += CHUNK) {
		bounds.push([start, Math.min(end, count)]);
	}
	return bounds;
}

export async function saveRecords(
	ctx: VaultContext,
	{ profileId, records }: { profileId: string; records: readonly NewRecord[] }
): Promise<string[]> {
	const ids = records.map((record) => record.id ?? ctx.newId());
	for (const [index, record] of records.entries()) {
		if ((record.kind as RecordKind) === 'patient') {
			throw new TypeError('saveRecords adds records; edit the patient with saveRecord');
		}
		if (!ENTITY_ID.test(ids[index]!)) throw new TypeError(`Invalid record id at #${index}`);
	}
	const seen = new Set<string>();
	const repeated = new Set<string>();
	for (const id of ids) (seen.has(id) ? repeated : seen).add(id);
	if (repeated.size > 0) throw new RecordExistsError([...repeated]);

	// The profile's absence is reported only after validation, as saveRecord does.
	const profileKey = await (async () => {
		const profile = await ctx.db.profiles.get(profileId);
		if (!profile || profile.deleted) throw new ProfileNotFoundError(profileId);
		return ctx.profileKey(profileId);
	})().catch((error: unknown) => error as Error);

	const chunks = chunkBounds(records.length);
	const invalid: RecordsValidationError['invalid'] = [];
	const updatedAt = ctx.now();
	// One chunk: validate each record and, while the batch is still all valid, stamp and seal it.
	async function prepare([start, end]: [number, number]): Promise<RecordRow[]> {
		const chunk = records.slice(start, end);
		const rows = await Promise.all(
			chunk.map(async ({ kind, data }, offset) => {
				const result = await validateRecord(kind, data);
				if (!result.success) {
					invalid.push({ index: start + offset, kind, fieldErrors: result.fieldErrors });
				}
				if (!result.success || invalid.length > 0 || profileKey instanceof Error) return null;
				const target = { id: ids[start + offset]!, profileId, kind };
				const doc = stampRecord({ kind, data: result.data, clock: ctx.clock });
				const envelope = await sealRecord({ crypto: ctx.crypto, profileKey, row: target, doc });
				return { ...target, keyVersion: profileKey.version, envelope, updatedAt, deleted: false };
			})
		);
		return invalid.length > 0 ? [] : (rows as RecordRow[]);
	}
	const failIfInvalid = () => {
		if (invalid.length === 0) return;
		invalid.sort((x, y) => x.index - y.index);
		throw new RecordsValidationError(invalid, records.length);
	};

	if (profileKey instanceof Error) {
		for (const chunk of chunks) await prepare(chunk);
		failIfInvalid();
		throw profileKey;
	}

	// One transaction for the whole batch, filled chunk by chunk: while IndexedDB writes one
	// chunk (in the browser's storage process), this thread validates, stamps and seals the
	// next, and Dexie.waitFor keeps the transaction open across that WebCrypto work. An invalid
	// record (the rest are still validated, so the error names every one), a taken id or a full
	// disk aborts the transaction, and nothing of the batch is kept.
	let writeError: unknown;
	try {
		await ctx.db.transaction('rw', ctx.db.profileRecords, ctx.db.outbox, async () => {
			const writes: Promise<unknown>[] = [];
			const write = (work: Promise<unknown>) =>
				writes.push(work.catch((error: unknown) => (writeError ??= error)));
			for (const chunk of chunks) {
				const rows = await Dexie.waitFor(prepare(chunk));
				if (writeError !== undefined || invalid.length > 0) continue;
				// bulkAdd, not bulkPut: an id that is already stored fails its add.
				write(
					ctx.db.profileRecords.bulkAdd(rows).catch((error: unknown) => {
						throw takenIds(error, rows) ?? error;
					})
				);
			}
			failIfInvalid();
			// One outbox row for the whole batch (see OutboxRow.entityIds).
			if (ids.length > 0) {
				const first = { id: ids[0]!, profileId, kind: records[0]!.kind };
				write(ctx.db.outbox.add({ ...outboxEntry(ctx, first, updatedAt), entityIds: ids }));
			}
			await Promise.all(writes);
			if (writeError !== undefined) throw writeError;
		});
	} catch (error) {
		const cause = writeError ?? error;
		throw isQuotaExceeded(cause) ? new StorageFullError({ cause }) : cause;
	}
	return ids;
}

function takenIds(error: unknown, rows: readonly RecordRow[]): RecordExistsError | undefined {
	if (!(error instanceof Dexie.BulkError)) return undefined;
	const taken = Object.entries(error.failuresByPos)
		.filter(([, failure]) => failure.name === 'ConstraintError')
		.map(([position]) => rows[Number(position)]!.id);
	return taken.length > 0 ? new RecordExistsError(taken, { cause: error }) : undefined;
}
