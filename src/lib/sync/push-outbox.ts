import { recordKey, type OutboxRow, type RecordRow, type UserDb } from '../db/index.ts';
import { toBase64Url } from '../crypto/index.ts';
import type { NoteKeys } from '../notes/note-envelope.ts';
import { acknowledgeNotePushes, pendingNotePushes } from '../notes/note-pushes.ts';
import { MAX_PUSH_MUTATIONS, type Mutation, type PushResult } from '../shared/sync.ts';
import type { SyncApi } from './sync-api.ts';
import { registeredProfiles } from './sync-settings.ts';

export interface PushSummary {
	applied: number;
	rejected: number;
}

// Drains the outbox in batches of at most 500 mutations. A row names the entity that changed (an
// import's batch row names many, each sent as its own mutation); the mutation carries that
// entity's record row as it is now (every write seals the whole merged record), so an entity
// queued several times is sent once, under its newest change's mutationId, and all its changes
// go once the server has it. A record still sealed under an older
// key version than its profile's current one (the key rotated since it was written) is sealed
// again first by `reseal`, since the server refuses writes under a superseded version.
//
// A row leaves the outbox only after the server answered "applied" or "duplicate" for it, in one
// transaction; a rejected row stays with attempts and lastError (shown on the "Offline changes"
// page) and is not sent again until retried by hand, since the server would refuse it again.
// A network or server failure throws with the rows of every unanswered request still in place
// (the request sent beside it is still written down if it was answered); resending the same
// mutationIds later answers "duplicate" for what had arrived.
//
// With `noteKeys`, the notes' queued updates and snapshots (issue 6, src/lib/notes) fill what
// room the records leave in each request, each one mutation, acknowledged or refused the same way
// (acknowledgeNotePushes).
export async function pushOutbox({
	db,
	api,
	clientId,
	batchSize = MAX_PUSH_MUTATIONS,
	reseal = async (row) => row,
	noteKeys
}: {
	db: UserDb;
	api: Pick<SyncApi, 'push'>;
	clientId: string;
	batchSize?: number;
	reseal?: (row: RecordRow) => Promise<RecordRow>;
	noteKeys?: NoteKeys;
}): Promise<PushSummary> {
	const summary: PushSummary = { applied: 0, rejected: 0 };
	const registered = await registeredProfiles(db);
	const memberIds = new Map<string, string>();
	// One read of the outbox, sent in batches; then read again for what came meanwhile. Rows
	// rejected in this run are skipped by the filter (they now carry lastError).
	for (;;) {
		const rows = await db.outbox
			.orderBy('seq')
			.filter((row) => row.lastError === undefined && registered.has(row.profileId))
			.toArray();
		const groups = await changesByEntity(rows, memberIds);
		const slices: Unit[][][] = [];
		for (let start = 0; start < groups.length; start += batchSize) {
			slices.push(groups.slice(start, start + batchSize));
		}
		if (slices.length === 0) slices.push([]);
		// What each batch row has had answered so far, across this read's batches.
		const resolved = new Map<OutboxRow, Set<string>>();
		const prepare = (slice: Unit[][]) => {
			const batch = prepareBatch(db, slice, reseal);
			batch.catch(() => {}); // awaited below, unless a batch before it failed
			return batch;
		};
		// The server's answer for one request, written down: counted, notes acknowledged, and
		// the outbox settled.
		const finish = async ({ answer, batch: { newest, outcome }, notes }: Sent) => {
			const { results } = await answer;
			if (notes.length > 0) {
				const noteSummary = await acknowledgeNotePushes({ db, results: answered(notes, results) });
				summary.applied += noteSummary.pushed;
				summary.rejected += noteSummary.rejected;
			}
			const resultById = new Map<string, PushResult>(results.map((r) => [r.mutationId, r]));
			for (const [group, unit] of newest) {
				if (outcome.has(group)) continue;
				const result = resultById.get(unit.mutationId);
				if (result?.status === 'applied' || result?.status === 'duplicate') {
					outcome.set(group, 'done');
					summary.applied++;
				} else {
					outcome.set(
						group,
						result?.status === 'rejected'
							? `${result.error.code}: ${result.error.message}`
							: 'invalid: the server did not answer for this change'
					);
					summary.rejected++;
				}
			}
			await settle(db, outcome, resolved);
		};
		// Two requests travel at once: while the server stores one batch, the next is on its way
		// and the one after is read and encoded. The batches hold different records, and answers
		// are written down in order. Notes ride in a request only while no other request
		// carrying notes is unanswered, so none is sent twice.
		let next = prepare(slices[0]!);
		let sent: Sent | undefined;
		try {
			for (let index = 0; index < slices.length; index++) {
				const batch = await next;
				if (sent && sent.notes.length > 0) {
					const carried = sent;
					sent = undefined;
					await finish(carried);
				}
				const notes = noteKeys
					? await pendingNotePushes({
							db,
							keys: noteKeys,
							limit: batchSize - batch.mutations.length,
							profileIds: registered
						})
					: [];
				if (slices[index]!.length === 0 && notes.length === 0) break;
				if (index + 1 < slices.length) next = prepare(slices[index + 1]!);
				const mutations = [...batch.mutations, ...notes];
				const answer =
					mutations.length > 0
						? api.push({ clientId, mutations })
						: Promise.resolve({ results: [] });
				answer.catch(() => {}); // awaited by finish
				const previous = sent;
				sent = { answer, batch, notes };
				if (previous) await finish(previous);
			}
		} catch (error) {
			// What already went is still written down (its answer may have come), then the error.
			if (sent) await finish(sent).catch(() => {});
			throw error;
		}
		if (sent) await finish(sent);
		else if (groups.length === 0) return summary;
	}
}

// A request on its way: its batch, the notes it carries and the server's answer to come.
interface Sent {
	answer: Promise<{ results: PushResult[] }>;
	batch: Awaited<ReturnType<typeof prepareBatch>>;
	notes: Mutation[];
}

// Each record's queued changes, in the order they were first made.
async function changesByEntity(
	rows: readonly OutboxRow[],
	memberIds: Map<string, string>
): Promise<Unit[][]> {
	const byEntity = new Map<string, Unit[]>();
	for (const row of rows) {
		for (const unit of await unitsOf(row, memberIds)) {
			const key = `${row.profileId}/${unit.entityId}`;
			const group = byEntity.get(key);
			if (group) group.push(unit);
			else byEntity.set(key, [unit]);
		}
	}
	return [...byEntity.values()];
}

// One request's records: each group's newest change carries the record row as it is now.
// A group whose record is gone (the device's data was replaced meanwhile) is done already.
async function prepareBatch(
	db: UserDb,
	groups: readonly Unit[][],
	reseal: (row: RecordRow) => Promise<RecordRow>
) {
	const newest = new Map(groups.map((group) => [group, group[group.length - 1]!]));
	const records = await db.profileRecords.bulkGet(
		[...newest.values()].map((unit) =>
			recordKey({ profileId: unit.row.profileId, id: unit.entityId })
		)
	);
	const mutations: Mutation[] = [];
	const outcome = new Map<Unit[], 'done' | string>();
	for (const [index, [group, unit]] of [...newest].entries()) {
		const stored = records[index];
		if (!stored) {
			outcome.set(group, 'done');
			continue;
		}
		const record = await reseal(stored);
		mutations.push({
			mutationId: unit.mutationId,
			profileId: unit.row.profileId,
			entityId: unit.entityId,
			kind: unit.row.kind,
			keyVersion: record.keyVersion,
			ciphertext: toBase64Url(record.envelope),
			deleted: record.deleted
		});
	}
	return { newest, mutations, outcome };
}

// The server's results for `mutations`, with a refusal for any it did not answer, so no mutation
// is sent again and again within one run.
function answered(mutations: readonly Mutation[], results: readonly PushResult[]): PushResult[] {
	const ids = new Set(results.map((result) => result.mutationId));
	return [
		...results,
		...mutations
			.filter((mutation) => !ids.has(mutation.mutationId))
			.map((mutation): PushResult => ({
				mutationId: mutation.mutationId,
				status: 'rejected',
				error: { code: 'invalid', message: 'the server did not answer for this change' }
			}))
	];
}

// One change a push sends: a single row's record, or one record of an import's batch row.
interface Unit {
	row: OutboxRow;
	entityId: string;
	mutationId: string;
}

// An import is queued as ONE outbox row naming all its records (adding a row per record doubled
// an import's commit, bench/store). Each of its records still travels as its own mutation, with
// an id derived from the row's and the record's, so a resend after a lost answer repeats the
// same id and the server answers "duplicate".
async function unitsOf(row: OutboxRow, cache: Map<string, string>): Promise<Unit[]> {
	if (!row.entityIds) return [{ row, entityId: row.entityId, mutationId: row.mutationId }];
	return Promise.all(
		row.entityIds.map(async (entityId) => {
			const key = `${row.mutationId}/${entityId}`;
			let mutationId = cache.get(key);
			if (!mutationId) {
				mutationId = await memberMutationId(row.mutationId, entityId);
				cache.set(key, mutationId);
			}
			return { row, entityId, mutationId };
		})
	);
}

// A UUID (version 8, RFC 9562) from SHA-256 of the batch row's mutation id and the record id.
export async function memberMutationId(rowMutationId: string, entityId: string): Promise<string> {
	const input = new TextEncoder().encode(`${rowMutationId}\u0000${entityId}`);
	const bytes = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', input), 0, 16);
	bytes[6] = (bytes[6]! & 0x0f) | 0x80;
	bytes[8] = (bytes[8]! & 0x3f) | 0x80;
	const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// Writes what the server said, in one transaction: sent changes leave the outbox; a refused one
// keeps its reason (a batch row's refused record moves to a row of its own, under its own id, so
// the rest of the batch goes on); a batch row keeps the records not sent yet.
// `resolvedOf` holds each batch row's records answered in earlier batches of the same read.
async function settle(
	db: UserDb,
	outcome: Map<Unit[], 'done' | string>,
	resolvedOf: Map<OutboxRow, Set<string>>
): Promise<void> {
	const remove = new Set<number>();
	const rejected: { key: number; changes: Partial<OutboxRow> }[] = [];
	const splits: Omit<OutboxRow, 'seq'>[] = [];
	const touched = new Set<OutboxRow>();
	for (const [group, result] of outcome) {
		for (const unit of group) {
			const { row } = unit;
			if (row.entityIds) {
				resolvedOf.set(row, (resolvedOf.get(row) ?? new Set()).add(unit.entityId));
				touched.add(row);
				if (result !== 'done') {
					splits.push({
						mutationId: unit.mutationId,
						profileId: row.profileId,
						entityId: unit.entityId,
						kind: row.kind,
						createdAt: row.createdAt,
						attempts: row.attempts + 1,
						lastError: result
					});
				}
			} else if (result === 'done') {
				remove.add(row.seq);
			} else {
				rejected.push({ key: row.seq, changes: { attempts: row.attempts + 1, lastError: result } });
			}
		}
	}
	const shrunk: { key: number; changes: Partial<OutboxRow> }[] = [];
	for (const row of touched) {
		const resolved = resolvedOf.get(row)!;
		const left = row.entityIds!.filter((id) => !resolved.has(id));
		if (left.length === 0) remove.add(row.seq);
		else shrunk.push({ key: row.seq, changes: { entityIds: left, entityId: left[0]! } });
	}
	await db.transaction('rw', db.outbox, async () => {
		await db.outbox.bulkDelete([...remove]);
		if (rejected.length > 0) await db.outbox.bulkUpdate(rejected);
		if (shrunk.length > 0) await db.outbox.bulkUpdate(shrunk);
		if (splits.length > 0) await db.outbox.bulkAdd(splits);
	});
}

// Puts rejected rows back in line (after the person fixed the cause, or a key was rotated).
export async function retryRejected(db: UserDb): Promise<number> {
	return db.outbox
		.filter((row) => row.lastError !== undefined)
		.modify((row) => {
			delete row.lastError;
		});
}
