import { mkdir } from 'node:fs/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Queryable, Row, Store } from './store.ts';

let savepoints = 0;

function queryable(db: PGlite | Transaction, inTransaction: boolean): Queryable {
	const self: Queryable = {
		async query<T extends Row>(text: string, params?: unknown[]) {
			const result = await db.query<T>(text, params);
			return result.rows;
		},
		async exec(text: string) {
			await db.exec(text);
		},
		// In-process: nothing to save by sending the two together; the transaction commits after.
		queryAndCommit: (text, params) => self.query(text, params),
		async savepoint(work) {
			if (!inTransaction) {
				return (db as PGlite).transaction((tx) => work(queryable(tx, true)));
			}
			const name = `charta_savepoint_${++savepoints}`;
			await db.query(`savepoint ${name}`);
			try {
				const result = await work(self);
				await db.query(`release savepoint ${name}`);
				return result;
			} catch (error) {
				await db.query(`rollback to savepoint ${name}`);
				throw error;
			}
		}
	};
	return self;
}

/** dataDir undefined → in memory (tests); otherwise created on first start. */
export async function openPgliteStore(dataDir?: string): Promise<Store> {
	if (dataDir) await mkdir(dataDir, { recursive: true });
	const db = await PGlite.create(dataDir ? { dataDir } : {});
	return {
		kind: 'pglite',
		...queryable(db, false),
		transaction: (work) => db.transaction((tx) => work(queryable(tx, true))),
		async ping() {
			try {
				await db.query('select 1');
				return true;
			} catch {
				return false;
			}
		},
		async listen(channel, onPayload) {
			return db.listen(channel, onPayload);
		},
		async close() {
			if (!db.closed) await db.close();
		}
	};
}
