import type {
	ChangesEvent,
	Mutation,
	PushResult,
	RejectionCode
} from '../../../src/lib/shared/sync.ts';
import type { Queryable } from '../store/store.ts';
import { readEnvelope } from './ciphertext.ts';
import { CHANGES_CHANNEL } from './change-feed.ts';

interface Writable {
	mutation: Mutation;
	index: number;
	ciphertext: Buffer;
}

const rejected = (mutationId: string, code: RejectionCode, message: string): PushResult => ({
	mutationId,
	status: 'rejected',
	error: { code, message }
});

// JSON goes in as text and is cast in SQL (see accounts.ts): one parameter carries the whole batch.
const ids = (values: string[]) => JSON.stringify(values);

/**
 * Applies a push inside the caller's transaction (as `authenticated`, RLS on). Every mutation gets
 * its own answer; a rejected one writes nothing and leaves the others alone. A NOTIFY per profile
 * written (ids only) goes out when the transaction commits.
 */
export async function applyPush(
	tx: Queryable,
	userId: string,
	mutations: Mutation[]
): Promise<PushResult[]> {
	const results: (PushResult | undefined)[] = mutations.map(() => undefined);

	// A mutationId twice in one push: the later copies get whatever the first one gets.
	const firstIndex = new Map<string, number>();
	const copies: [number, number][] = [];
	mutations.forEach(({ mutationId }, index) => {
		const first = firstIndex.get(mutationId);
		if (first === undefined) firstIndex.set(mutationId, index);
		else copies.push([index, first]);
	});
	const profileIds = [...new Set(mutations.map((m) => m.profileId))].sort();

	// Lock the counters first, in one order, so two pushes to a profile queue instead of racing
	// (and never deadlock), and a replay racing its original finds it committed. RLS leaves only
	// the profiles the caller may write to.
	const writable = new Map(
		(
			await tx.query<{ id: string; current_key_version: number }>(
				`select id, current_key_version from charta.profiles
				 where id in (select value::uuid from jsonb_array_elements_text($1::text::jsonb))
				 order by id for no key update`,
				[ids(profileIds)]
			)
		).map((row) => [row.id, row.current_key_version])
	);
	// The caller's own membership rows, revoked ones included (members_select_own).
	const memberships = new Map(
		(
			await tx.query<{ profile_id: string; role: string; revoked: boolean }>(
				`select profile_id, role, revoked_at is not null as revoked from charta.profile_members
				 where user_id = $1
				   and profile_id in (select value::uuid from jsonb_array_elements_text($2::text::jsonb))`,
				[userId, ids(profileIds)]
			)
		).map((row) => [row.profile_id, row])
	);
	const stored = new Map(
		(
			await tx.query<{ mutation_id: string; seq: number | string }>(
				`select mutation_id, seq from charta.changes
				 where mutation_id in (select value::uuid from jsonb_array_elements_text($1::text::jsonb))`,
				[ids([...firstIndex.keys()])]
			)
		).map((row) => [row.mutation_id, Number(row.seq)])
	);

	const accepted: Writable[] = [];
	for (const index of firstIndex.values()) {
		const mutation = mutations[index]!;
		const { mutationId, profileId, keyVersion } = mutation;
		const seq = stored.get(mutationId);
		if (seq !== undefined) {
			results[index] = { mutationId, status: 'duplicate', seq };
			continue;
		}
		const membership = memberships.get(profileId);
		const currentKeyVersion = writable.get(profileId);
		if (!membership) {
			// No such profile, or one the caller never belonged to: we do not say which.
			results[index] = rejected(mutationId, 'unknown_profile', 'There is no such profile.');
		} else if (membership.revoked) {
			results[index] = rejected(
				mutationId,
				'not_a_member',
				'You are no longer a member of this profile.'
			);
		} else if (currentKeyVersion === undefined) {
			results[index] = rejected(
				mutationId,
				'read_only',
				`Your role on this profile (${membership.role}) cannot change it.`
			);
		} else if (keyVersion !== currentKeyVersion) {
			results[index] = rejected(
				mutationId,
				'stale_key_version',
				`The profile is at key version ${currentKeyVersion}; this change is under version ${keyVersion}.`
			);
		} else {
			const envelope = readEnvelope(mutation.ciphertext, keyVersion);
			if ('problem' in envelope) {
				results[index] = rejected(mutationId, 'invalid', `The ${envelope.problem}.`);
			} else {
				accepted.push({ mutation, index, ciphertext: envelope.bytes });
			}
		}
	}

	let toWrite = accepted;
	while (toWrite.length > 0) {
		const written = await writeChanges(tx, toWrite);
		if (written.taken.length === 0) {
			for (const { index, mutation } of toWrite) {
				results[index] = {
					mutationId: mutation.mutationId,
					status: 'applied',
					seq: written.seqs.get(mutation.mutationId)!
				};
			}
			break;
		}
		// A mutationId stored under a profile the caller cannot see: refuse it, write the rest again.
		const taken = new Set(written.taken);
		for (const { index, mutation } of toWrite.filter((w) => taken.has(w.mutation.mutationId))) {
			results[index] = rejected(
				mutation.mutationId,
				'invalid',
				'This mutationId is already used by another change; send a new one.'
			);
		}
		toWrite = toWrite.filter((w) => !taken.has(w.mutation.mutationId));
	}

	for (const [index, first] of copies) {
		const original = results[first]!;
		results[index] =
			original.status === 'applied' ? { ...original, status: 'duplicate' } : original;
	}
	return results as PushResult[];
}

const INSERT_CHANGES = `
	insert into charta.changes
		(profile_id, seq, mutation_id, author_id, kind, entity_id, key_version, ciphertext, deleted)
	select (r->>'p')::uuid, (r->>'s')::bigint, (r->>'m')::uuid, auth.uid(), r->>'k', r->>'e',
	       (r->>'v')::integer, decode(r->>'c', 'base64'), (r->>'d')::boolean
	from jsonb_array_elements($1::text::jsonb) as r`;

// unique_violation on mutation_id; with RLS hiding the row, PostgreSQL may report it as 42501.
const isTakenError = (error: unknown) =>
	['23505', '42501'].includes(String((error as { code?: unknown }).code));

/** The rare slow path: which rows of a failed batch collide, one savepoint each. */
async function findTaken(tx: Queryable, rows: { m: string }[]): Promise<string[]> {
	const taken: string[] = [];
	const probed = new Error('probed');
	for (const row of rows) {
		await tx
			.savepoint(async (sp) => {
				await sp.query(INSERT_CHANGES, [JSON.stringify([row])]);
				throw probed; // undo: this only asked whether the row fits
			})
			.catch((error: unknown) => {
				if (error === probed) return;
				if (!isTakenError(error)) throw error;
				taken.push(row.m);
			});
	}
	if (taken.length === 0) throw new Error('A push failed to insert, but no row collides alone.');
	return taken;
}

/**
 * Takes seqs from the locked counters and inserts, inside a savepoint: if any mutationId turns out
 * to be taken (a row RLS hides from us), everything rolls back so no seq is skipped.
 */
async function writeChanges(
	tx: Queryable,
	toWrite: Writable[]
): Promise<{ seqs: Map<string, number>; taken: string[] }> {
	const byProfile = new Map<string, Writable[]>();
	for (const w of toWrite) {
		const list = byProfile.get(w.mutation.profileId) ?? [];
		list.push(w);
		byProfile.set(w.mutation.profileId, list);
	}
	const seqs = new Map<string, number>();
	const notifications: ChangesEvent[] = [];
	const rows: ({ m: string } & Record<string, unknown>)[] = [];
	try {
		await tx.savepoint(async (sp) => {
			for (const profileId of [...byProfile.keys()].sort()) {
				const list = byProfile.get(profileId)!;
				const [counter] = await sp.query<{ last_seq: number | string }>(
					`update charta.profiles set last_seq = last_seq + $2 where id = $1 returning last_seq`,
					[profileId, list.length]
				);
				const last = Number(counter!.last_seq);
				list.forEach((w, i) => {
					const seq = last - list.length + 1 + i;
					seqs.set(w.mutation.mutationId, seq);
					rows.push({
						p: profileId,
						s: seq,
						m: w.mutation.mutationId,
						k: w.mutation.kind,
						e: w.mutation.entityId,
						v: w.mutation.keyVersion,
						c: w.ciphertext.toString('base64'),
						d: w.mutation.deleted
					});
				});
				notifications.push({ profileId, seq: last });
			}
			await sp.query(INSERT_CHANGES, [JSON.stringify(rows)]);
		});
	} catch (error) {
		if (!isTakenError(error)) throw error;
		return { seqs, taken: await findTaken(tx, rows) };
	}
	// pg_notify inside the transaction is delivered at commit, and not at all on rollback.
	for (const event of notifications) {
		await tx.query(`select pg_notify($1, $2)`, [CHANGES_CHANNEL, JSON.stringify(event)]);
	}
	return { seqs, taken: [] };
}
