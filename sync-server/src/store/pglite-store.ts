import { mkdir } from 'node:fs/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Queryable, Row, Store } from './store.ts';

function queryable(db: PGlite | Transaction): Queryable {
	return {
		async query<T extends Row>(text: string, params?: unknown[]) {
			const result = await db.query<T>(text, params);
			return result.rows;
		},
		async exec(text: string) {
			await db.exec(text);
		}
	};
}

/** dataDir undefined → in memory (tests); otherwise created on first start. */
export async function openPgliteStore(dataDir?: string): Promise<Store> {
	if (dataDir) await mkdir(dataDir, { recursive: true });
	const db = await PGlite.create(dataDir ? { dataDir } : {});
	return {
		kind: 'pglite',
		...queryable(db),
		transaction: (work) => db.transaction((tx) => work(queryable(tx))),
		async ping() {
			try {
				await db.query('select 1');
				return true;
			} catch {
				return false;
			}
		},
		async close() {
			if (!db.closed) await db.close();
		}
	};
}
