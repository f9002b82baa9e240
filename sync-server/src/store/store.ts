import type { DatabaseKind } from '../../../src/lib/shared/health.ts';

export type Row = Record<string, unknown>;

/** What a query can run on: the store itself or an open transaction. */
export interface Queryable {
	query<T extends Row = Row>(text: string, params?: unknown[]): Promise<T[]>;
	/** Several statements, no parameters: migrations. */
	exec(text: string): Promise<void>;
}

/** One interface over PGlite (embedded, the default) and PostgreSQL (DATABASE_URL, Supabase). */
export interface Store extends Queryable {
	readonly kind: DatabaseKind;
	transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
	ping(): Promise<boolean>;
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
