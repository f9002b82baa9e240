import postgres from 'postgres';
import { openPgliteStore } from '../../sync-server/src/store/pglite-store.ts';
import { openPostgresStore } from '../../sync-server/src/store/postgres-store.ts';
import type { Store } from '../../sync-server/src/store/store.ts';

export const testDatabaseUrl =
	process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether the PostgreSQL of TEST_DATABASE_URL answers; the suites against it run only then. */
export async function postgresReachable(): Promise<boolean> {
	const sql = postgres(testDatabaseUrl, { connect_timeout: 3, max: 1, onnotice: () => {} });
	try {
		await sql`select 1`;
		return true;
	} catch {
		return false;
	} finally {
		await sql.end({ timeout: 0 });
	}
}

export const postgresAvailable = await postgresReachable();
if (!postgresAvailable) {
	console.warn(
		`PostgreSQL at ${new URL(testDatabaseUrl).host} is not reachable: its suites are skipped. ` +
			'Start it (see README, "Tests") or set TEST_DATABASE_URL.'
	);
}

export interface ScratchDatabase {
	url: string;
	drop(): Promise<void>;
}

/** A new, empty database on the test server, so every test starts from nothing. */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
	const name = `charta_it_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
	const admin = postgres(testDatabaseUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	await admin.end();
	const url = new URL(testDatabaseUrl);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		async drop() {
			const sql = postgres(testDatabaseUrl, { max: 1, onnotice: () => {} });
			await sql.unsafe(`drop database if exists ${name} with (force)`);
			await sql.end();
		}
	};
}

export interface StoreKind {
	name: 'pglite' | 'postgres';
	available: boolean;
	open(): Promise<{ store: Store; dispose(): Promise<void> }>;
}

/** Each integration suite runs on both stores: PGlite always, PostgreSQL when reachable. */
export const storeKinds: StoreKind[] = [
	{
		name: 'pglite',
		available: true,
		async open() {
			const store = await openPgliteStore();
			return { store, dispose: () => store.close() };
		}
	},
	{
		name: 'postgres',
		available: postgresAvailable,
		async open() {
			const database = await createScratchDatabase();
			const store = await openPostgresStore(database.url, { max: 2 });
			return {
				store,
				async dispose() {
					await store.close();
					await database.drop();
				}
			};
		}
	}
];
