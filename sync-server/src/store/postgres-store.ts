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

const run = async <T extends Row>(sql: postgres.Sql, text: string, params: unknown[] = []) =>
	(await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[])) as unknown as T[];

let savepoints = 0;

/**
 * One transaction on a connection of its own (sql.reserve), sent the way the protocol allows:
 * BEGIN goes out with the first statements instead of a round trip ahead of them, and
 * queryAndCommit sends the last statement and COMMIT together. PostgreSQL runs a connection's
 * statements in the order sent, and after a failed one refuses the rest of the transaction (a
 * COMMIT then answers ROLLBACK), so nothing runs out of order or commits after an error. A push
 * thus costs two round trips, not four (bench/sync: under CPU contention each one waits for the
 * scheduler).
 */
async function transaction<T>(pool: postgres.Sql, work: (tx: Queryable) => Promise<T>) {
	const sql = await pool.reserve();
	let ended = false;
	const commit = async (last?: Promise<unknown>) => {
		ended = true;
		// Both settle before the connection goes back to the pool.
		const [statement, done] = await Promise.allSettled([last, sql.unsafe('commit')]);
		if (statement.status === 'rejected') throw statement.reason;
		if (done.status === 'rejected') throw done.reason;
		if (done.value.command !== 'COMMIT') {
			throw new Error(`The transaction ended in ${done.value.command}, not COMMIT.`);
		}
	};
	const tx: Queryable = {
		query: (text, params) => run(sql, text, params),
		async exec(text) {
			await sql.unsafe(text).simple();
		},
		async savepoint(inner) {
			const name = `charta_savepoint_${++savepoints}`;
			await sql.unsafe(`savepoint ${name}`);
			try {
				const result = await inner(tx);
				await sql.unsafe(`release savepoint ${name}`);
				return result;
			} catch (error) {
				await sql.unsafe(`rollback to savepoint ${name}`);
				throw error;
			}
		},
		async queryAndCommit<T extends Row>(text: string, params?: unknown[]) {
			if (ended) throw new Error('The transaction has ended.');
			const rows = run<T>(sql, text, params);
			await commit(rows);
			return rows;
		}
	};
	try {
		const begun = sql.unsafe('begin');
		begun.catch(() => {}); // awaited below; a failed BEGIN also fails what work sent after it
		const result = await work(tx);
		await begun;
		if (!ended) await commit();
		return result;
	} catch (error) {
		if (!ended) await sql.unsafe('rollback').catch(() => {});
		throw error;
	} finally {
		sql.release();
	}
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
	const store: Store = {
		kind: 'postgres',
		query: (text, params) => run(sql, text, params),
		async exec(text) {
			// The simple protocol runs several statements in one call, as migrations need.
			await sql.unsafe(text).simple();
		},
		savepoint: (work) => transaction(sql, work),
		queryAndCommit: (text, params) => run(sql, text, params),
		transaction: (work) => transaction(sql, work),
		async ping() {
			try {
				await sql`select 1`;
				return true;
			} catch {
				return false;
			}
		},
		async listen(channel, onPayload, { onRelisten } = {}) {
			// postgres.js LISTENs again on a new connection when its connection closes, and calls
			// this after every LISTEN, the first one included.
			let listened = false;
			const { unlisten } = await sql.listen(channel, onPayload, () => {
				if (listened) onRelisten?.();
				listened = true;
			});
			return unlisten;
		},
		async close() {
			await sql.end({ timeout: 5 });
		}
	};
	return store;
}
