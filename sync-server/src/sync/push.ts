import type { Mutation, PushResult, RejectionCode } from '../../../src/lib/shared/sync.ts';
import type { Queryable, Store } from '../store/store.ts';
import { asUser } from '../store/transaction-as.ts';
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
// …and becomes an array the planner can look up in an index (`= any`): written as `in (select …
// from jsonb_array_elements_text(…))` the duplicate check hash-joined every change of the
// caller's profiles, which grew with the profile's history (0.6 ms at 2,400 changes, bench/sync).
const UUIDS = `(select array_agg(value::uuid) from jsonb_array_elements_text($1::text::jsonb))::uuid[]`;

// unique_violation on mutation_id; with RLS hiding the row, PostgreSQL may report it as 42501.
const isTakenError = (error: unknown) =>
	['23505', '42501'].includes(String((error as { code?: unknown }).code));

/**
 * POST /v1/sync/push for `userId`: one transaction as `authenticated` (RLS on). The rows go in
 * with one statement; if a mutationId turns out to be taken by a change RLS hides from the caller
 * (never by an honest client: ids are random), that statement fails the transaction, which is
 * then run again with each row probed in a savepoint, so seqs stay gap-free either way.
 */
export async function pushMutations(
	store: Store,
	userId: string,
	mutations: Mutation[]
): Promise<PushResult[]> {
	try {
		return await asUser(store, userId, (tx) => applyPush(tx, userId, mutations));
	} catch (error) {
		if (!isTakenError(error)) throw error;
		return asUser(store, userId, (tx) => applyPush(tx, userId, mutations, { guarded: true }));
	}
}

/**
 * Applies a push inside the caller's transaction (as `authenticated`, RLS on). Every mutation gets
 * its own answer; a rejected one writes nothing and leaves the others alone. A NOTIFY per profile
 * written (ids only) goes out when the transaction commits. Unless `guarded`, a mutationId taken
 * by a hidden row fails the transaction (pushMutations then runs it again guarded).
 */
export async function applyPush(
	tx: Queryable,
	userId: string,
	mutations: Mutation[],
	{ guarded = false }: { guarded?: boolean } = {}
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
	const profileIds = ids([...new Set(mutations.map((m) => m.profileId))].sort());

	// Three statements sent together, one round trip. PostgreSQL runs them in order, each with a
	// snapshot of its own: first lock the counters, in one order, so two pushes to a profile queue
	// instead of racing (and never deadlock); RLS leaves only the profiles the caller may write
	// to. Then, once the lock is held, read the caller's own membership rows (revoked ones
	// included, members_select_own) and the mutationIds already stored, so a replay racing its
	// original finds it committed.
	const [locked, memberRows, storedRows] = await Promise.all([
		tx.query<{ id: string; current_key_version: number }>(
			`select id, current_key_version from charta.profiles
			 where id = any (${UUIDS}) order by id for no key update`,
			[profileIds]
		),
		tx.query<{ profile_id: string; role: string; revoked: boolean }>(
			`select profile_id, role, revoked_at is not null as revoked from charta.profile_members
			 where profile_id = any (${UUIDS}) and user_id = $2`,
			[profileIds, userId]
		),
		tx.query<{ mutation_id: string; seq: number | string }>(
			`select mutation_id, seq from charta.changes where mutation_id = any (${UUIDS})`,
			[ids([...firstIndex.keys()])]
		)
	]);
	const writable = new Map(locked.map((row) => [row.id, row.current_key_version]));
	const memberships = new Map(memberRows.map((row) => [row.profile_id, row]));
	const stored = new Map(storedRows.map((row) => [row.mutation_id, Number(row.seq)]));

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
		const written = await writeChanges(tx, toWrite, guarded);
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

// One statement takes the seqs and writes the rows: it raises each locked counter by the number
// of rows for its profile, numbers the rows from there in the order given, inserts them all, and
// NOTIFYs {"profileId","seq"} per profile (delivered on commit, not at all on rollback). $1 is a
// JSON array of {i, p, m, k, e, v, c, d}: position, profile, mutationId, kind, entity, key
// version, ciphertext (base64), deleted. It answers each profile's new last seq.
const WRITE_CHANGES = `
	with input as (
		select * from json_to_recordset($1::text::json)
			as r(i integer, p uuid, m uuid, k text, e text, v integer, c text, d boolean)
	), counts as (
		select p, count(*) as n from input group by p
	), counters as (
		update charta.profiles set last_seq = last_seq + counts.n
		from counts where charta.profiles.id = counts.p
		returning charta.profiles.id, charta.profiles.last_seq
	), written as (
		insert into charta.changes
			(profile_id, seq, mutation_id, author_id, kind, entity_id, key_version, ciphertext, deleted)
		select input.p, counters.last_seq - counts.n + row_number() over (partition by input.p order by input.i),
		       input.m, auth.uid(), input.k, input.e, input.v, decode(input.c, 'base64'), input.d
		from input join counts using (p) join counters on counters.id = input.p
	)
	select id, last_seq,
	       pg_notify($2, json_build_object('profileId', id, 'seq', last_seq)::text)::text as notified
	from counters`;

/** The rare slow path: which rows of a failed batch collide, one savepoint each. */
async function findTaken(tx: Queryable, rows: ChangeInput[]): Promise<string[]> {
	const taken: string[] = [];
	const probed = new Error('probed');
	for (const row of rows) {
		await tx
			.savepoint(async (sp) => {
				await sp.query(WRITE_CHANGES, [JSON.stringify([row]), CHANGES_CHANNEL]);
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

interface ChangeInput {
	i: number;
	p: string;
	m: string;
	k: string;
	e: string;
	v: number;
	c: string;
	d: boolean;
}

/**
 * Takes seqs from the locked counters and inserts (WRITE_CHANGES). `guarded`, inside a savepoint:
 * if any mutationId turns out to be taken (a row RLS hides from us), everything rolls back so no
 * seq is skipped, and the taken ones are named. Unguarded, it is the transaction's last statement
 * and commits with it; that error fails the transaction.
 */
async function writeChanges(
	tx: Queryable,
	toWrite: Writable[],
	guarded: boolean
): Promise<{ seqs: Map<string, number>; taken: string[] }> {
	const rows: ChangeInput[] = toWrite.map(({ mutation, ciphertext }, i) => ({
		i,
		p: mutation.profileId,
		m: mutation.mutationId,
		k: mutation.kind,
		e: mutation.entityId,
		v: mutation.keyVersion,
		c: ciphertext.toString('base64'),
		d: mutation.deleted
	}));
	type Counter = { id: string; last_seq: number | string };
	const params = [JSON.stringify(rows), CHANGES_CHANNEL];
	let counters;
	try {
		counters = guarded
			? await tx.savepoint((sp) => sp.query<Counter>(WRITE_CHANGES, params))
			: await tx.queryAndCommit<Counter>(WRITE_CHANGES, params);
	} catch (error) {
		if (!guarded || !isTakenError(error)) throw error;
		return { seqs: new Map(), taken: await findTaken(tx, rows) };
	}
	// The same numbering as the statement's: per profile, in the order given.
	const next = new Map<string, number>();
	for (const counter of counters) {
		const count = rows.filter((row) => row.p === counter.id).length;
		next.set(counter.id, Number(counter.last_seq) - count + 1);
	}
	const seqs = new Map<string, number>();
	for (const row of rows) {
		const seq = next.get(row.p)!;
		next.set(row.p, seq + 1);
		seqs.set(row.m, seq);
	}
	return { seqs, taken: [] };
}
