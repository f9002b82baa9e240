import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../sync-server/src/store/migrate.ts';
import type { Queryable, Store } from '../../sync-server/src/store/store.ts';
import { storeKinds } from '../helpers/databases.ts';

// Row-level security of the sync tables (and of charta.users, which sharing reads through two
// functions), as raw SQL with forged claims, the way PostgREST or the sync-server would run a
// request: set_config('request.jwt.claims', …, true); set local role ….
// The server's own checks are not involved here: this is the second wall alone.

const migrationsDir = new URL('../../supabase/migrations', import.meta.url).pathname;

const ACTORS = ['owner', 'editor', 'viewer', 'revoked', 'stranger', 'anonymous'] as const;
type Actor = (typeof ACTORS)[number];
const SIGNED_IN: Actor[] = ['owner', 'editor', 'viewer', 'revoked', 'stranger'];

const ids = {
	profile: randomUUID(),
	owner: randomUUID(),
	editor: randomUUID(),
	viewer: randomUUID(),
	revoked: randomUUID(),
	stranger: randomUUID(),
	newcomer: randomUUID()
};
const P = `'${ids.profile}'`;
const EMAIL = Object.fromEntries(
	Object.entries(ids).map(([name, id]) => [name, `${name}-${id.slice(0, 8)}@example.org`])
) as Record<keyof typeof ids, string>;

const TABLES = [
	'profiles',
	'profile_members',
	'profile_member_keys',
	'changes',
	'users',
	'attachment_chunks'
] as const;
const OPS = ['select', 'insert', 'update', 'delete'] as const;
/** The security-definer functions that read charta.users for sharing (…_sharing.sql). */
const FUNCTIONS = ['find_user_by_email()', 'member_accounts()'] as const;

interface Case {
	table: (typeof TABLES)[number] | (typeof FUNCTIONS)[number];
	op: (typeof OPS)[number] | 'execute';
	what: string;
	/** Run in order as the actor; allowed = none fails and the last returns a row (or is an insert). */
	sql: string[];
	allowed: Actor[];
}

const BYTES = `decode(repeat('ab', 32), 'hex')`;
/** At least as long as any sealed chunk (…_attachments.sql). */
const CHUNK = `decode(repeat('ab', 40), 'hex')`;
const CHUNK_COLUMNS = `(profile_id, attachment_id, chunk_index, chunk_count, key_version, ciphertext, author_id)`;

const MATRIX: Case[] = [
	{
		table: 'profiles',
		op: 'select',
		what: 'the profile',
		sql: [`select 1 from charta.profiles where id = ${P}`],
		allowed: ['owner', 'editor', 'viewer']
	},
	{
		table: 'profiles',
		op: 'insert',
		what: 'a new profile as its creator',
		sql: [`insert into charta.profiles (id, created_by) values (gen_random_uuid(), auth.uid())`],
		allowed: SIGNED_IN
	},
	{
		table: 'profiles',
		op: 'insert',
		what: "a new profile in the owner's name",
		sql: [
			`insert into charta.profiles (id, created_by) values (gen_random_uuid(), '${ids.owner}')`
		],
		allowed: ['owner']
	},
	{
		table: 'profiles',
		op: 'update',
		what: 'the seq counter',
		sql: [`update charta.profiles set last_seq = last_seq + 1 where id = ${P} returning 1`],
		allowed: ['owner', 'editor']
	},
	{
		table: 'profiles',
		op: 'update',
		what: 'the key version, raised by one (a rotation)',
		sql: [
			`update charta.profiles set current_key_version = current_key_version + 1 where id = ${P} returning 1`
		],
		allowed: ['owner']
	},
	{
		table: 'profiles',
		op: 'update',
		what: 'the key version, raised by two',
		sql: [
			`update charta.profiles set current_key_version = current_key_version + 2 where id = ${P} returning 1`
		],
		allowed: []
	},
	{
		table: 'profiles',
		op: 'update',
		what: 'the key version, lowered back to a revoked one',
		sql: [`update charta.profiles set current_key_version = 1 where id = ${P} returning 1`],
		allowed: []
	},
	{
		table: 'profiles',
		op: 'delete',
		what: 'the profile',
		sql: [`delete from charta.profiles where id = ${P} returning 1`],
		allowed: []
	},

	{
		table: 'profile_members',
		op: 'select',
		what: "other members' rows",
		sql: [`select 1 from charta.profile_members where profile_id = ${P} and user_id <> auth.uid()`],
		allowed: ['owner', 'editor', 'viewer']
	},
	{
		table: 'profile_members',
		op: 'select',
		what: 'their own row',
		sql: [`select 1 from charta.profile_members where profile_id = ${P} and user_id = auth.uid()`],
		allowed: ['owner', 'editor', 'viewer', 'revoked']
	},
	{
		table: 'profile_members',
		op: 'insert',
		what: 'a new member',
		sql: [
			`insert into charta.profile_members (profile_id, user_id, role, added_by) values (${P}, '${ids.newcomer}', 'viewer', auth.uid())`
		],
		allowed: ['owner']
	},
	{
		table: 'profile_members',
		op: 'insert',
		what: 'themselves as owner of the profile',
		sql: [
			`insert into charta.profile_members (profile_id, user_id, role, added_by) values (${P}, auth.uid(), 'owner', auth.uid())`
		],
		allowed: []
	},
	{
		table: 'profile_members',
		op: 'insert',
		what: 'themselves as owner of a profile they just created',
		sql: [
			`insert into charta.profiles (id, created_by) values ('00000000-0000-4000-8000-000000000001', auth.uid())`,
			`insert into charta.profile_members (profile_id, user_id, role, added_by) values ('00000000-0000-4000-8000-000000000001', auth.uid(), 'owner', auth.uid())`
		],
		allowed: SIGNED_IN
	},
	{
		table: 'profile_members',
		op: 'update',
		what: "the viewer's revocation",
		sql: [
			`update charta.profile_members set revoked_at = now() where profile_id = ${P} and user_id = '${ids.viewer}' returning 1`
		],
		allowed: ['owner']
	},
	{
		table: 'profile_members',
		op: 'update',
		what: 'their own role',
		sql: [
			`update charta.profile_members set role = 'owner' where profile_id = ${P} and user_id = auth.uid() returning 1`
		],
		allowed: ['owner']
	},
	{
		table: 'profile_members',
		op: 'update',
		what: "the revoked member's return",
		sql: [
			`update charta.profile_members set revoked_at = null, role = 'viewer' where profile_id = ${P} and user_id = '${ids.revoked}' returning 1`
		],
		allowed: ['owner']
	},
	{
		table: 'profile_members',
		op: 'delete',
		what: 'members',
		sql: [`delete from charta.profile_members where profile_id = ${P} returning 1`],
		allowed: []
	},

	{
		table: 'profile_member_keys',
		op: 'select',
		what: 'their own wrapped keys',
		sql: [
			`select 1 from charta.profile_member_keys where profile_id = ${P} and user_id = auth.uid()`
		],
		allowed: ['owner', 'editor', 'viewer', 'revoked']
	},
	{
		table: 'profile_member_keys',
		op: 'select',
		what: "others' wrapped keys",
		sql: [
			`select 1 from charta.profile_member_keys where profile_id = ${P} and user_id <> auth.uid()`
		],
		allowed: []
	},
	{
		table: 'profile_member_keys',
		op: 'insert',
		what: 'a key for the editor',
		sql: [
			`insert into charta.profile_member_keys (profile_id, user_id, key_version, wrapped_key, added_by) values (${P}, '${ids.editor}', 3, ${BYTES}, auth.uid())`
		],
		allowed: ['owner']
	},
	{
		table: 'profile_member_keys',
		op: 'update',
		what: 'a wrapped key',
		sql: [
			`update charta.profile_member_keys set wrapped_key = ${BYTES} where profile_id = ${P} returning 1`
		],
		allowed: []
	},
	{
		table: 'profile_member_keys',
		op: 'delete',
		what: 'wrapped keys',
		sql: [`delete from charta.profile_member_keys where profile_id = ${P} returning 1`],
		allowed: []
	},

	{
		table: 'changes',
		op: 'select',
		what: 'the changes',
		sql: [`select 1 from charta.changes where profile_id = ${P}`],
		allowed: ['owner', 'editor', 'viewer']
	},
	{
		table: 'changes',
		op: 'insert',
		what: 'a change under the current key version',
		sql: [
			`insert into charta.changes (profile_id, seq, mutation_id, author_id, kind, entity_id, key_version, ciphertext) values (${P}, 1000, gen_random_uuid(), auth.uid(), 'record', 'e1', 2, ${BYTES})`
		],
		allowed: ['owner', 'editor']
	},
	{
		table: 'changes',
		op: 'insert',
		what: 'a change under a revoked key version',
		sql: [
			`insert into charta.changes (profile_id, seq, mutation_id, author_id, kind, entity_id, key_version, ciphertext) values (${P}, 1000, gen_random_uuid(), auth.uid(), 'record', 'e1', 1, ${BYTES})`
		],
		allowed: []
	},
	{
		table: 'changes',
		op: 'insert',
		what: "a change in the owner's name",
		sql: [
			`insert into charta.changes (profile_id, seq, mutation_id, author_id, kind, entity_id, key_version, ciphertext) values (${P}, 1000, gen_random_uuid(), '${ids.owner}', 'record', 'e1', 2, ${BYTES})`
		],
		allowed: ['owner']
	},
	{
		table: 'changes',
		op: 'update',
		what: 'a change',
		sql: [`update charta.changes set deleted = true where profile_id = ${P} returning 1`],
		allowed: []
	},
	{
		table: 'changes',
		op: 'delete',
		what: 'a change',
		sql: [`delete from charta.changes where profile_id = ${P} returning 1`],
		allowed: []
	},

	{
		table: 'attachment_chunks',
		op: 'select',
		what: 'the chunks of a file',
		sql: [`select 1 from charta.attachment_chunks where profile_id = ${P}`],
		allowed: ['owner', 'editor', 'viewer']
	},
	{
		table: 'attachment_chunks',
		op: 'insert',
		what: 'a chunk under the current key version',
		sql: [
			`insert into charta.attachment_chunks ${CHUNK_COLUMNS} values (${P}, gen_random_uuid(), 0, 1, 2, ${CHUNK}, auth.uid())`
		],
		allowed: ['owner', 'editor']
	},
	{
		table: 'attachment_chunks',
		op: 'insert',
		what: 'a chunk under a revoked key version',
		sql: [
			`insert into charta.attachment_chunks ${CHUNK_COLUMNS} values (${P}, gen_random_uuid(), 0, 1, 1, ${CHUNK}, auth.uid())`
		],
		allowed: []
	},
	{
		table: 'attachment_chunks',
		op: 'insert',
		what: "a chunk in the owner's name",
		sql: [
			`insert into charta.attachment_chunks ${CHUNK_COLUMNS} values (${P}, gen_random_uuid(), 0, 1, 2, ${CHUNK}, '${ids.owner}')`
		],
		allowed: ['owner']
	},
	{
		table: 'attachment_chunks',
		op: 'update',
		what: 'a stored chunk',
		sql: [
			`update charta.attachment_chunks set ciphertext = ${CHUNK} where profile_id = ${P} returning 1`
		],
		allowed: []
	},
	{
		table: 'attachment_chunks',
		op: 'delete',
		what: 'a stored chunk',
		sql: [`delete from charta.attachment_chunks where profile_id = ${P} returning 1`],
		allowed: []
	},

	{
		table: 'users',
		op: 'select',
		what: 'their own account',
		sql: [`select id, email, public_key from charta.users where id = auth.uid()`],
		allowed: SIGNED_IN
	},
	{
		table: 'users',
		op: 'select',
		what: "other people's accounts",
		sql: [`select id from charta.users where id <> auth.uid()`],
		allowed: []
	},
	{
		table: 'users',
		op: 'select',
		what: 'their own auth key hash',
		sql: [`select auth_key_hash from charta.users where id = auth.uid()`],
		allowed: []
	},
	{
		table: 'users',
		op: 'insert',
		what: 'an account',
		sql: [
			`insert into charta.users (email, auth_key_hash, kdf, public_key, private_key_wrapped_by_kek, private_key_wrapped_by_recovery, recovery_auth_hash) values ('x@example.org', '$argon2id$x', '{}', '{}', '\\x00', '\\x00', '$argon2id$x')`
		],
		allowed: []
	},
	{
		table: 'users',
		op: 'update',
		what: 'their own public key',
		sql: [`update charta.users set public_key = '{}' where id = auth.uid() returning 1`],
		allowed: []
	},
	{
		table: 'users',
		op: 'delete',
		what: 'their own account',
		sql: [`delete from charta.users where id = auth.uid() returning 1`],
		allowed: []
	},

	{
		table: 'find_user_by_email()',
		op: 'execute',
		what: "another person's id, email and public key",
		sql: [`select user_id, email, public_key from charta.find_user_by_email('${EMAIL.stranger}')`],
		allowed: SIGNED_IN
	},
	{
		table: 'member_accounts()',
		op: 'execute',
		what: "the profile's members' emails and public keys",
		sql: [`select user_id, email, public_key from charta.member_accounts(${P})`],
		allowed: ['owner', 'editor', 'viewer']
	}
];

const rollback = new Error('rollback');

/** Runs one case as `actor` in a savepoint that is always rolled back; true = allowed. */
async function attempt(tx: Queryable, actor: Actor, { op, sql }: Case): Promise<boolean> {
	let allowed = false;
	await tx
		.savepoint(async (sp) => {
			const role = actor === 'anonymous' ? 'anon' : 'authenticated';
			const claims = actor === 'anonymous' ? { role } : { sub: ids[actor], role };
			await sp.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(claims)]);
			await sp.exec(`set local role ${role}`);
			let rows: unknown[] = [];
			try {
				for (const statement of sql) rows = await sp.query(statement);
				allowed = op === 'insert' || rows.length > 0;
			} catch {
				allowed = false;
			}
			throw rollback;
		})
		.catch((error: unknown) => {
			if (error !== rollback) throw error;
		});
	return allowed;
}

/** The cells whose outcome differs from the matrix, as "table op what × actor". */
async function mismatches(tx: Queryable, cases: Case[], actors: readonly Actor[] = ACTORS) {
	const wrong: string[] = [];
	for (const c of cases) {
		for (const actor of actors) {
			const expected = c.allowed.includes(actor);
			if ((await attempt(tx, actor, c)) !== expected) {
				wrong.push(
					`${c.table} ${c.op} ${c.what} × ${actor}: expected ${expected ? 'allow' : 'deny'}`
				);
			}
		}
	}
	return wrong;
}

describe.each(storeKinds)(
	'row-level security of the sync tables on $name',
	({ available, open }) => {
		let store: Store;
		let dispose: () => Promise<void>;

		beforeAll(async () => {
			if (!available) return;
			({ store, dispose } = await open());
			await migrate(store, migrationsDir);
			// As the server's own (RLS-exempt) login: five users, one profile at key version 2 after the
			// revoked member's removal, and one change.
			for (const name of [
				'owner',
				'editor',
				'viewer',
				'revoked',
				'stranger',
				'newcomer'
			] as const) {
				await store.query(
					`insert into charta.users (id, email, auth_key_hash, kdf, public_key,
					private_key_wrapped_by_kek, private_key_wrapped_by_recovery, recovery_auth_hash)
				 values ($1, $2, '$argon2id$x', '{}', '{}', '\\x00', '\\x00', '$argon2id$x')`,
					[ids[name], EMAIL[name]]
				);
			}
			await store.exec(`
			insert into charta.profiles (id, created_by, current_key_version, last_seq)
				values (${P}, '${ids.owner}', 2, 1);
			insert into charta.profile_members (profile_id, user_id, role, added_by, revoked_at) values
				(${P}, '${ids.owner}', 'owner', '${ids.owner}', null),
				(${P}, '${ids.editor}', 'editor', '${ids.owner}', null),
				(${P}, '${ids.viewer}', 'viewer', '${ids.owner}', null),
				(${P}, '${ids.revoked}', 'editor', '${ids.owner}', now());
			insert into charta.profile_member_keys (profile_id, user_id, key_version, wrapped_key, added_by)
				select ${P}::uuid, u, v, ${BYTES}, '${ids.owner}'::uuid
				from unnest(array['${ids.owner}', '${ids.editor}', '${ids.viewer}']::uuid[]) as u,
				     generate_series(1, 2) as v
				union all select ${P}::uuid, '${ids.revoked}'::uuid, 1, ${BYTES}, '${ids.owner}'::uuid;
			insert into charta.changes (profile_id, seq, mutation_id, author_id, kind, entity_id, key_version, ciphertext)
				values (${P}, 1, gen_random_uuid(), '${ids.owner}', 'record', 'e1', 1, ${BYTES});
			insert into charta.attachment_chunks ${CHUNK_COLUMNS}
				values (${P}, gen_random_uuid(), 0, 1, 2, ${CHUNK}, '${ids.owner}');
		`);
		});
		afterAll(async () => {
			await dispose?.();
		});
		beforeEach((context) => {
			if (!available) context.skip('PostgreSQL is not reachable');
		});

		it('covers every table × select / insert / update / delete, and every sharing function', () => {
			const cells = new Set(MATRIX.map((c) => `${c.table} ${c.op}`));
			for (const table of TABLES) for (const op of OPS) expect(cells).toContain(`${table} ${op}`);
			for (const fn of FUNCTIONS) expect(cells).toContain(`${fn} execute`);
		});

		it.each(MATRIX)('$table $op: $what → allowed for [$allowed]', async (c) => {
			const wrong = await store.transaction((tx) => mismatches(tx, [c]));
			expect(wrong).toEqual([]);
		});

		it('has row-level security enabled on every charta table, and no policy the matrix does not need', async () => {
			const tables = await store.query<{ relname: string; relrowsecurity: boolean }>(
				`select c.relname, c.relrowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
			 where n.nspname = 'charta' and c.relkind = 'r' and c.relname <> 'schema_migrations'`
			);
			// (The migration ledger is the runner's, granted to no request role.)
			expect(tables.filter((t) => !t.relrowsecurity)).toEqual([]);

			// Each policy, dropped alone (in a transaction rolled back afterwards), breaks at least one
			// cell. Policies are all permissive, so dropping one can only turn an allow into a deny: the
			// allowed cells are the ones to run.
			// (Policies for service_role alone are not for requests of people, so not in the matrix.)
			const policies = await store.query<{ tablename: string; policyname: string }>(
				`select tablename, policyname from pg_policies
			 where schemaname = 'charta' and tablename = any($1::text[])
			   and roles <> array['service_role']::name[]
			 order by tablename, policyname`,
				[TABLES]
			);
			expect(policies.length).toBeGreaterThanOrEqual(13);
			const allowedCells = MATRIX.filter((c) => c.allowed.length > 0);
			const idle: string[] = [];
			for (const { tablename, policyname } of policies) {
				const broken = await store
					.transaction(async (tx) => {
						await tx.exec(`drop policy ${policyname} on charta.${tablename}`);
						const wrong = await Promise.resolve().then(async () => {
							const found: string[] = [];
							for (const c of allowedCells) {
								found.push(...(await mismatches(tx, [c], c.allowed)));
								if (found.length > 0) break;
							}
							return found;
						});
						throw Object.assign(new Error('undo'), { wrong });
					})
					.catch((error: { wrong?: string[] }) => {
						if (!error.wrong) throw error;
						return error.wrong;
					});
				if (broken.length === 0) idle.push(`${tablename}.${policyname}`);
			}
			expect(idle, 'policies no matrix cell depends on').toEqual([]);
		});

		it('needs every guard trigger: dropped alone, each lets through a cell the matrix denies', async () => {
			const triggers = await store.query<{ table_name: string; trigger_name: string }>(
				`select c.relname as table_name, t.tgname as trigger_name
				 from pg_trigger t join pg_class c on c.oid = t.tgrelid
				 join pg_namespace n on n.oid = c.relnamespace
				 where n.nspname = 'charta' and not t.tgisinternal and t.tgname like '%_guard'`
			);
			expect(triggers.map((t) => t.trigger_name)).toContain('profiles_key_version_guard');
			const idle: string[] = [];
			for (const { table_name, trigger_name } of triggers) {
				const denied = MATRIX.filter((c) => c.table === table_name && c.op === 'update');
				const broken = await store
					.transaction(async (tx) => {
						await tx.exec(`drop trigger ${trigger_name} on charta.${table_name}`);
						const wrong: string[] = [];
						for (const c of denied) wrong.push(...(await mismatches(tx, [c], SIGNED_IN)));
						throw Object.assign(new Error('undo'), { wrong });
					})
					.catch((error: { wrong?: string[] }) => {
						if (!error.wrong) throw error;
						return error.wrong;
					});
				if (broken.length === 0) idle.push(`${table_name}.${trigger_name}`);
			}
			expect(idle, 'guard triggers no matrix cell depends on').toEqual([]);
		});
	}
);
