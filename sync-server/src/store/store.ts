import type { DatabaseKind } from '../../../src/lib/shared/health.ts';

export type Row = Record<string, unknown>;

/** What a query can run on: the store itself or an open transaction. */
export interface Queryable {
	query<T extends Row = Row>(text: string, params?: unknown[]): Promise<T[]>;
	/** Several statements, no parameters: migrations. */
	exec(text: string): Promise<void>;
	/**
	 * `work` in a savepoint (inside a transaction; on the store itself, a transaction of its own):
	 * if it throws, only what it did is undone and the error goes on to the caller.
	 */
	savepoint<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
	/**
	 * Inside a transaction: `text` is its last statement, and the transaction commits with it
	 * (on PostgreSQL the COMMIT goes out in the same round trip). Its rows come back once both
	 * are done; if either fails, nothing was committed and this throws. Outside a transaction,
	 * the same as query().
	 */
	queryAndCommit<T extends Row = Row>(text: string, params?: unknown[]): Promise<T[]>;
}

/** One interface over PGlite (embedded, the default) and PostgreSQL (DATABASE_URL, Supabase). */
export interface Store extends Queryable {
	readonly kind: DatabaseKind;
	transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
	ping(): Promise<boolean>;
	/**
	 * LISTEN on `channel` (on PostgreSQL over a dedicated connection): `onPayload` gets each
	 * NOTIFY's payload, from this process and every other one on the same database. Resolves once
	 * listening, with the function that stops it. `onRelisten` runs each time listening resumes
	 * after the connection was lost, since whatever was notified in between never arrives.
	 */
	listen(
		channel: string,
		onPayload: (payload: string) => void,
		options?: { onRelisten?: () => void }
	): Promise<() => Promise<void>>;
	close(): Promise<void>;
}

/** A database error, reduced to what is safe and useful to show: message, SQLSTATE, position. */
export function describeDatabaseError(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const { code } = error as { code?: unknown };
	return typeof code === 'string' && code.length > 0
		? `${error.message} (SQLSTATE ${code})`
		: error.message;
}
