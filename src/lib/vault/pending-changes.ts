import type { OutboxRow } from '../db/index.ts';
import type { VaultContext } from './vault-context.ts';

// An outbox row as the "Offline changes" page lists it: which record, when, how often it was
// sent, and the server's refusal if any ("code: message", codes in shared/sync.ts RejectionCode).
export type PendingChange = Pick<
	OutboxRow,
	'seq' | 'mutationId' | 'profileId' | 'entityId' | 'kind' | 'createdAt' | 'attempts' | 'lastError'
>;

// Oldest first, the order they are sent in, one per record (an import's batch row lists each of
// its records). Ids and times only: the page decrypts the records.
export async function listPendingChanges(ctx: VaultContext): Promise<PendingChange[]> {
	const rows = await ctx.db.outbox.orderBy('seq').toArray();
	return rows.flatMap(({ seq, mutationId, profileId, entityId, entityIds, kind, ...rest }) =>
		(entityIds ?? [entityId]).map((id) => ({
			seq,
			mutationId,
			profileId,
			entityId: id,
			kind,
			createdAt: rest.createdAt,
			attempts: rest.attempts,
			lastError: rest.lastError
		}))
	);
}

// One group per record, oldest first: a record's saves reach the server together, since a push
// sends the record's newest copy under its newest row.
export function groupByRecord(rows: readonly PendingChange[]): PendingChange[][] {
	const groups = new Map<string, PendingChange[]>();
	for (const row of rows) groups.set(row.entityId, [...(groups.get(row.entityId) ?? []), row]);
	return [...groups.values()];
}
