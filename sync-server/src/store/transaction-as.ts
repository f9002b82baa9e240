import type { Queryable, Store } from './store.ts';

/** The database roles a request may run as (created by Supabase, or by our auth shim). */
export type RequestRole = 'service_role' | 'authenticated' | 'anon';

// The role name is spliced into SQL (SET ROLE takes no parameters), so only these ever reach it.
const ROLES: ReadonlySet<string> = new Set<RequestRole>(['service_role', 'authenticated', 'anon']);

export interface RequestIdentity {
	role: RequestRole;
	/** JWT-style claims for auth.uid() / auth.jwt(); `sub` is the user id. */
	claims?: Record<string, unknown>;
}

/**
 * Runs `work` in one transaction as `role` with `claims`, as PostgREST does, so row-level security
 * applies: the server's own login is a superuser on PGlite and usually the table owner elsewhere,
 * and both bypass RLS. Both settings are transaction-local and end with it.
 *
 * `work` starts without waiting for the settings' answer, so its first statements travel in the
 * same round trip. That is safe because a connection runs its statements in the order sent (so
 * do PGlite's, through one queue), and once a statement fails PostgreSQL refuses every later one
 * in the transaction: nothing of `work` can run unless the role and claims were set first.
 */
export function transactionAs<T>(
	store: Store,
	{ role, claims = {} }: RequestIdentity,
	work: (tx: Queryable) => Promise<T>
): Promise<T> {
	if (!ROLES.has(role)) throw new Error(`Not a request role: ${role}`);
	return store.transaction(async (tx) => {
		// set_config('role', …, true) is SET LOCAL ROLE, with the same membership check.
		const settled = tx.query(
			`select set_config('request.jwt.claims', $1, true), set_config('role', $2, true)`,
			[JSON.stringify({ ...claims, role }), role]
		);
		settled.catch(() => {}); // awaited below; this only keeps it from counting as unhandled
		let result: T;
		try {
			result = await work(tx);
		} catch (error) {
			await settled; // if the settings failed, that is the error to report
			throw error;
		}
		await settled;
		return result;
	});
}

/** The auth routes run before any session exists: they act for the server itself. */
export function asService<T>(store: Store, work: (tx: Queryable) => Promise<T>): Promise<T> {
	return transactionAs(store, { role: 'service_role' }, work);
}

/** A signed-in user's request: RLS sees auth.uid() = userId. */
export function asUser<T>(
	store: Store,
	userId: string,
	work: (tx: Queryable) => Promise<T>
): Promise<T> {
	return transactionAs(store, { role: 'authenticated', claims: { sub: userId } }, work);
}
