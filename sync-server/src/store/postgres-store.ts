import postgres from 'postgres';
import { describeDatabaseError, type Queryable, type Row, type Store } from './store.ts';

export class DatabaseUnreachableError extends Error {
	constructor(
		readonly target: string,
		cause: unknown
	) {
		super(`Cannot reach PostgreSQL at ${target}: ${describeDatabaseError(cause)}`, { cause });
		this.name = 'DatabaseUnreachableError';
	}
}

/** host:port of a connection URL, never its user name or password. */
export function databaseTarget(url: string): string {
	const { hostname, port } = new URL(url);
	return `${hostname || 'localhost'}:${port || '5432'}`;
}

function queryable(sql: postgres.Sql | postgres.TransactionSql): Queryable {
	return {
		async query<T extends Row>(text: string, params: unknown[] = []) {
			const rows = await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[]);
			return rows as unknown as T[];
		},
		async exec(text: string) {
			// The simple protocol runs several statements in one call, as migrations need.
			await sql.unsafe(text).simple();
		},
		// postgres.js fails the whole transaction after any failed query unless it ran inside its
		// own savepoint helper, so raw SAVEPOINT statements would not help here.
		savepoint: <T>(work: (tx: Queryable) => Promise<T>) =>
			('savepoint' in sql
				? sql.savepoint((inner) => work(queryable(inner)))
				: sql.begin((tx) => work(queryable(tx)))) as Promise<T>
	};
}

export async function openPostgresStore(
	url: string,
	{ connectTimeoutSeconds = 5, max = 10 }: { connectTimeoutSeconds?: number; max?: number } = {}
): Promise<Store> {
	const sql = postgres(url, {
		max,
		connect_timeout: connectTimeoutSeconds,
		onnotice: () => {},
		// Postgres notices and parameters never reach the logs.
		debug: false
	});
	try {
		await sql`select 1`;
	} catch (error) {
		await sql.end({ timeout: 0 }).catch(() => {});
		throw new DatabaseUnreachableError(databaseTarget(url), error);
	}
	return {
		kind: 'postgres',
		...queryable(sql),
		transaction: (work) =>
			sql.begin((tx) => work(queryable(tx))) as Promise<Awaited<ReturnType<typeof work>>>,
		async ping() {
			try {
				await sql`select 1`;
				return true;
			} catch {
				return false;
			}
		},
		async listen(channel, onPayload) {
			const { unlisten } = await sql.listen(channel, onPayload);
			return unlisten;
		},
		async close() {
			await sql.end({ timeout: 5 });
		}
	};
}
