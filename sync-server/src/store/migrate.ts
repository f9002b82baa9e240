import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeDatabaseError, type Store } from './store.ts';

export class MigrationError extends Error {
	constructor(
		readonly file: string,
		cause: unknown
	) {
		super(`Migration ${file} failed: ${describeDatabaseError(cause)}`, { cause });
		this.name = 'MigrationError';
	}
}

// Supabase CLI's naming: a 14-digit timestamp, an underscore, a name.
const MIGRATION_FILE = /^\d{14}_[a-z0-9_]+\.sql$/;

// Our own ledger, in a schema of its own so it is never exposed by Supabase's API (public schema)
// and never collides with Supabase's supabase_migrations.schema_migrations.
const LEDGER = `
	create schema if not exists charta;
	create table if not exists charta.schema_migrations (
		name text primary key,
		applied_at timestamptz not null default now()
	);
`;

// Two servers starting on one database take turns instead of racing.
const LOCK = `select pg_advisory_xact_lock(hashtext('charta.schema_migrations'))`;

export async function listMigrations(dir: string): Promise<string[]> {
	const names = await readdir(dir);
	const invalid = names.filter((name) => name.endsWith('.sql') && !MIGRATION_FILE.test(name));
	if (invalid.length > 0) {
		throw new Error(
			`Migration file names must look like 20260101000000_name.sql; not: ${invalid.join(', ')}`
		);
	}
	return names.filter((name) => MIGRATION_FILE.test(name)).sort();
}

/**
 * Applies every migration in `dir` not yet recorded, in name order, each in its own transaction
 * together with its ledger row: a failing file leaves the database as it was before that file.
 * Returns the names applied by this call (empty on a second start).
 */
export async function migrate(store: Store, dir: string): Promise<string[]> {
	const files = await listMigrations(dir);
	await store.transaction(async (tx) => {
		await tx.query(LOCK);
		await tx.exec(LEDGER);
	});
	const applied: string[] = [];
	for (const file of files) {
		const sql = await readFile(join(dir, file), 'utf8');
		const ran = await store
			.transaction(async (tx) => {
				await tx.query(LOCK);
				const done = await tx.query('select 1 from charta.schema_migrations where name = $1', [
					file
				]);
				if (done.length > 0) return false;
				await tx.exec(sql);
				await tx.query('insert into charta.schema_migrations (name) values ($1)', [file]);
				return true;
			})
			.catch((error: unknown) => {
				throw new MigrationError(file, error);
			});
		if (ran) applied.push(file);
	}
	return applied;
}
