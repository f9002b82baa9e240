import type { OutboxRow, RecordRow, UserDb } from '../db/index.ts';
import { toBase64Url } from '../crypto/index.ts';
import { MAX_PUSH_MUTATIONS, type Mutation, type PushResult } from '../shared/sync.ts';
import type { SyncApi } from './sync-api.ts';
import { registeredProfiles } from './sync-settings.ts';

export interface PushSummary {
	applied: number;
	rejected: number;
}

// Drains the outbox in batches of at most 500 mutations. A row names the entity that changed;
// the mutation carries that entity's record row as it is now (every write seals the whole merged
// record), so an entity with several rows in a batch is sent once, under its newest row's
// mutationId, and all its rows go once the server has it. A record still sealed under an older
// key version than its profile's current one (the key rotated since it was written) is sealed
// again first by `reseal`, since the server refuses writes under a superseded version.
//
// A row leaves the outbox only after the server answered "applied" or "duplicate" for it, in one
// transaction; a rejected row stays with attempts and lastError (shown on the "Offline changes"
// page) and is not sent again until retried by hand, since the server would refuse it again.
// A network or server failure throws with every row still in place; resending the same
// mutationIds later answers "duplicate" for what had arrived.
export async function pushOutbox({
	db,
	api,
	clientId,
	batchSize = MAX_PUSH_MUTATIONS,
	reseal = async (row) => row
}: {
	db: UserDb;
	api: Pick<SyncApi, 'push'>;
	clientId: string;
	batchSize?: number;
	reseal?: (row: RecordRow) => Promise<RecordRow>;
}): Promise<PushSummary> {
	const summary: PushSummary = { applied: 0, rejected: 0 };
	const registered = await registeredProfiles(db);
	// Rows rejected in this run are skipped by the filter (they now carry lastError).
	for (;;) {
		const rows = await db.outbox
			.orderBy('seq')
			.filter((row) => row.lastError === undefined && registered.has(row.profileId))
			.limit(batchSize)
			.toArray();
		if (rows.length === 0) return summary;

		const byEntity = new Map<string, OutboxRow[]>();
		for (const row of rows) {
			const key = `${row.profileId}/${row.entityId}`;
			byEntity.set(key, [...(byEntity.get(key) ?? []), row]);
		}
		const newest = [...byEntity.values()].map((group) => group[group.length - 1]!);
		const records = await db.records.bulkGet(newest.map((row) => row.entityId));
		const mutations: Mutation[] = [];
		const sent: OutboxRow[] = [];
		const vanished: number[] = [];
		for (const [index, row] of newest.entries()) {
			const stored = records[index];
			if (!stored || stored.profileId !== row.profileId) {
				// Nothing left to send (the device's data was replaced meanwhile).
				vanished.push(...byEntity.get(`${row.profileId}/${row.entityId}`)!.map((r) => r.seq));
				continue;
			}
			const record = await reseal(stored);
			sent.push(row);
			mutations.push({
				mutationId: row.mutationId,
				profileId: row.profileId,
				entityId: row.entityId,
				kind: row.kind,
				keyVersion: record.keyVersion,
				ciphertext: toBase64Url(record.envelope),
				deleted: record.deleted
			});
		}
		if (mutations.length === 0) {
			await db.outbox.bulkDelete(vanished);
			if (rows.length < batchSize) return summary;
			continue;
		}
		const { results } = await api.push({ clientId, mutations });
		const resultById = new Map<string, PushResult>(results.map((r) => [r.mutationId, r]));

		const done: number[] = [...vanished];
		const rejected: { key: number; changes: Partial<OutboxRow> }[] = [];
		for (const row of sent) {
			const group = byEntity.get(`${row.profileId}/${row.entityId}`)!;
			const result = resultById.get(row.mutationId);
			if (result?.status === 'applied' || result?.status === 'duplicate') {
				done.push(...group.map((member) => member.seq));
				summary.applied++;
			} else {
				const lastError = result
					? `${result.error.code}: ${result.error.message}`
					: 'invalid: the server did not answer for this change';
				for (const member of group) {
					rejected.push({
						key: member.seq,
						changes: { attempts: member.attempts + 1, lastError }
					});
				}
				summary.rejected++;
			}
		}
		await db.transaction('rw', db.outbox, async () => {
			await db.outbox.bulkDelete(done);
			if (rejected.length > 0) await db.outbox.bulkUpdate(rejected);
		});
		if (rows.length < batchSize) return summary;
	}
}

// Puts rejected rows back in line (after the person fixed the cause, or a key was rotated).
export async function retryRejected(db: UserDb): Promise<number> {
	return db.outbox
		.filter((row) => row.lastError !== undefined)
		.modify((row) => {
			delete row.lastError;
		});
}
