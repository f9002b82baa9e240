import type { Change, MutationKind, PullResponse } from '../../../src/lib/shared/sync.ts';
import type { Queryable } from '../store/store.ts';
import { encodeCursor, type Position } from './cursor.ts';

interface ChangeRow extends Record<string, unknown> {
	profile_id: string;
	seq: number | string;
	mutation_id: string;
	author_id: string;
	kind: MutationKind;
	entity_id: string;
	key_version: number;
	ciphertext: Uint8Array;
	deleted: boolean;
	server_time: Date;
}

/**
 * The next `limit` changes after `position` in the profiles the caller is a current member of,
 * ordered by (profileId, seq). Each profile is read from its primary-key index after its own
 * cursor entry; the membership join is the server's wall, RLS (changes_select_member) the second.
 */
export async function pullChanges(
	tx: Queryable,
	userId: string,
	position: Position,
	limit: number
): Promise<PullResponse> {
	const rows = await tx.query<ChangeRow>(
		`with held as (
			select key::uuid as profile_id, value::bigint as seq
			from jsonb_each_text($2::text::jsonb)
		), mine as (
			select m.profile_id, coalesce(h.seq, 0) as after
			from charta.profile_members m left join held h using (profile_id)
			where m.user_id = $1 and m.revoked_at is null
		)
		select c.profile_id, c.seq, c.mutation_id, c.author_id, c.kind, c.entity_id, c.key_version,
		       c.ciphertext, c.deleted, c.server_time
		from mine cross join lateral (
			select * from charta.changes c
			where c.profile_id = mine.profile_id and c.seq > mine.after
			order by c.seq limit $3
		) c
		order by c.profile_id, c.seq
		limit $3`,
		[userId, JSON.stringify(position), limit + 1]
	);
	const hasMore = rows.length > limit;
	const next = { ...position };
	const changes: Change[] = rows.slice(0, limit).map((row) => {
		const seq = Number(row.seq);
		next[row.profile_id] = seq;
		return {
			mutationId: row.mutation_id,
			profileId: row.profile_id,
			entityId: row.entity_id,
			kind: row.kind,
			keyVersion: row.key_version,
			ciphertext: Buffer.from(row.ciphertext).toString('base64url'),
			deleted: row.deleted,
			seq,
			authorId: row.author_id,
			serverTime: new Date(row.server_time).toISOString()
		};
	});
	return { changes, cursor: encodeCursor(next), hasMore };
}
