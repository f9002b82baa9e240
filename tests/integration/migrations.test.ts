import { mkdtempSync, readdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, MigrationError } from '../../sync-server/src/store/migrate.ts';
import type { Store } from '../../sync-server/src/store/store.ts';
import { storeKinds } from '../helpers/databases.ts';

const migrationsDir = new URL('../../supabase/migrations', import.meta.url).pathname;
const shipped = readdirSync(migrationsDir)
	.filter((name) => name.endsWith('.sql'))
	.sort();

function migrationsWith(extra: Record<string, string>): string {
	const dir = mkdtempSync(join(tmpdir(), 'charta-migrations-'));
	for (const name of shipped) copyFileSync(join(migrationsDir, name), join(dir, name));
	for (const [name, sql] of Object.entries(extra)) writeFileSync(join(dir, name), sql);
	return dir;
}

async function ledger(store: Store) {
	const rows = await store.query<{ name: string }>(
		'select name from charta.schema_migrations order by name'
	);
	return rows.map((row) => row.name);
}

async function tableExists(store: Store, name: string) {
	const [row] = await store.query<{ exists: boolean }>(
		'select to_regclass($1) is not null as exists',
		[name]
	);
	return row?.exists;
}

describe.each(storeKinds)('migrations on $name', ({ available, open }) => {
	let store: Store;
	let dispose: () => Promise<void>;

	beforeEach(async (context) => {
		if (!available) context.skip('PostgreSQL is not reachable');
		({ store, dispose } = await open());
	});
	afterEach(async () => {
		await dispose?.();
	});

	it('applies every migration once, in name order, and records each', async () => {
		expect(await migrate(store, migrationsDir)).toEqual(shipped);
		expect(await ledger(store)).toEqual(shipped);
	});

	it('does nothing on a second start', async () => {
		await migrate(store, migrationsDir);
		const before = await ledger(store);
		expect(await migrate(store, migrationsDir)).toEqual([]);
		expect(await ledger(store)).toEqual(before);
	});

	it('rolls a failing migration back whole and names the file and the Postgres error', async () => {
		const dir = migrationsWith({
			'29990101000000_good.sql': 'create table public.kept (id int);',
			'29990102000000_broken.sql':
				'create table public.half_done (id int);\ninsert into public.no_such_table values (1);'
		});
		const failure = await migrate(store, dir).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(MigrationError);
		expect((failure as Error).message).toMatch(/29990102000000_broken\.sql/);
		expect((failure as Error).message).toMatch(/no_such_table.*does not exist.*42P01/);
		expect(await tableExists(store, 'public.half_done')).toBe(false);
		expect(await tableExists(store, 'public.kept')).toBe(true);
		expect(await ledger(store)).toEqual([...shipped, '29990101000000_good.sql']);
	});

	it('refuses files that do not follow the timestamp_name.sql convention', async () => {
		const dir = migrationsWith({ 'add-things.sql': 'select 1;' });
		await expect(migrate(store, dir)).rejects.toThrow(/add-things\.sql/);
		expect(await tableExists(store, 'charta.schema_migrations')).toBe(false);
	});

	it('gives RLS policies auth.uid(), auth.jwt() and auth.role() from the request claims', async () => {
		await migrate(store, migrationsDir);
		const sub = '6f1c1d2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f';
		const [row] = await store.transaction(async (tx) => {
			await tx.query(`select set_config('request.jwt.claims', $1, true)`, [
				JSON.stringify({ sub, role: 'authenticated' })
			]);
			await tx.exec('set local role authenticated');
			return tx.query<{ uid: string; role: string; jwt_sub: string; current: string }>(
				`select auth.uid()::text as uid, auth.role() as role,
				        auth.jwt() ->> 'sub' as jwt_sub, current_user::text as current`
			);
		});
		expect(row).toEqual({
			uid: sub,
			role: 'authenticated',
			jwt_sub: sub,
			current: 'authenticated'
		});
	});

	it('answers auth.uid() = null for a request without claims', async () => {
		await migrate(store, migrationsDir);
		const [row] = await store.query<{ uid: string | null }>('select auth.uid() as uid');
		expect(row?.uid).toBeNull();
	});
});

describe.each(storeKinds.filter((kind) => kind.name === 'postgres'))(
	'the auth shim on a Supabase project ($name)',
	({ available, open }) => {
		it('changes nothing where Supabase already provides auth', async (context) => {
			if (!available) context.skip('PostgreSQL is not reachable');
			const { store, dispose } = await open();
			try {
				// Stand-in for what a Supabase project already has (Supabase cannot run here).
				await store.exec(`
					create schema auth;
					create function auth.uid() returns uuid language sql stable
						as $$ select '00000000-0000-0000-0000-00000000beef'::uuid $$;
					create function auth.jwt() returns jsonb language sql stable as $$ select '{"supabase":true}'::jsonb $$;
					create function auth.role() returns text language sql stable as $$ select 'supabase'::text $$;
				`);
				const definitions = () =>
					store.query<{ def: string }>(
						`select pg_get_functiondef(p.oid) as def from pg_proc p
						 join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'auth' order by p.proname`
					);
				const before = await definitions();
				await migrate(store, migrationsDir);
				expect(await definitions()).toEqual(before);
				const [row] = await store.query<{ uid: string }>('select auth.uid()::text as uid');
				expect(row?.uid).toBe('00000000-0000-0000-0000-00000000beef');
			} finally {
				await dispose();
			}
		});
	}
);
