import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../sync-server/src/app.ts';
import { hashSessionToken } from '../../sync-server/src/auth/session-token.ts';
import { createLogger } from '../../sync-server/src/logger.ts';
import { migrate } from '../../sync-server/src/store/migrate.ts';
import { openPostgresStore } from '../../sync-server/src/store/postgres-store.ts';
import type { Store } from '../../sync-server/src/store/store.ts';
import type { SessionResponse } from '../../src/lib/shared/auth.ts';
import { createApiClient, type ApiClient } from '../helpers/api-client.ts';
import {
	createClientAccount,
	derivePasswordKeys,
	signupBody,
	type ClientAccount
} from '../helpers/auth-client.ts';
import { createScratchDatabase, postgresAvailable, storeKinds } from '../helpers/databases.ts';

// Each server process reuses a looked-up session for a few seconds (auth/session-cache.ts). These
// check that an ended session stops working anyway: at once where it was ended, and as soon as
// the database's notice arrives everywhere else, however it was ended.

const migrationsDir = new URL('../../supabase/migrations', import.meta.url).pathname;
const SECRET = new Uint8Array(32).fill(5);
const COOKIE = '__Host-charta_session';

let keys: ClientAccount;
beforeAll(async () => {
	keys = await createClientAccount(await derivePasswordKeys('session cache'));
});

const makeApp = (store: Store): App =>
	createApp({
		store,
		version: 'test',
		logger: createLogger('silent'),
		auth: { secret: SECRET, trustedProxyHops: 1 }
	});

async function signUp(app: App): Promise<ApiClient> {
	const client = createApiClient(app);
	const response = await client.request<SessionResponse>('POST', '/v1/auth/signup', {
		json: signupBody(keys, `cache-${randomUUID().slice(0, 8)}@example.org`)
	});
	expect(response.status).toBe(201);
	return client;
}

/** The same cookie, used against `app` (another instance, or a copy kept by an attacker). */
function withCookieOf(client: ApiClient, app: App): ApiClient {
	const copy = createApiClient(app);
	for (const [name, value] of client.cookies) copy.cookies.set(name, value);
	return copy;
}

const status = async (client: ApiClient) => (await client.request('GET', '/v1/profiles')).status;

// The cache trusts nothing until its LISTEN is up: make requests until a lookup was cached.
async function warm(client: ApiClient) {
	for (let i = 0; i < 5; i++) expect(await status(client)).toBe(200);
}

describe.each(storeKinds)('session cache on $name', ({ available, open }) => {
	let store: Store;
	let dispose: () => Promise<void>;
	let app: App;

	beforeAll(async () => {
		if (!available) return;
		({ store, dispose } = await open());
		await migrate(store, migrationsDir);
		app = makeApp(store);
	});
	afterAll(async () => {
		await dispose?.();
	});
	beforeEach((context) => {
		if (!available) context.skip('PostgreSQL is not reachable');
	});

	it('refuses a logged-out session at once, though it was just in use', async () => {
		const device = await signUp(app);
		const copy = withCookieOf(device, app);
		await warm(copy);
		expect((await device.request('POST', '/v1/auth/logout')).status).toBe(204);
		expect(await status(copy)).toBe(401);
	});

	it("refuses a session revoked in the database by someone else, once the database's notice arrives", async () => {
		const device = await signUp(app);
		await warm(device);
		await store.query(`update charta.sessions set revoked_at = now() where token_hash = $1`, [
			hashSessionToken(device.cookies.get(COOKIE)!)
		]);
		await expect.poll(() => status(device), { timeout: 2_000 }).toBe(401);
	});

	it('refuses the other sessions at once after a password change, and keeps the one that made it', async () => {
		const first = await signUp(app);
		const email = (await first.request<SessionResponse>('GET', '/v1/auth/session')).body.user.email;
		const second = createApiClient(app);
		const login = await second.request('POST', '/v1/auth/login', {
			json: { email, authKey: keys.current.authKey, rememberDevice: false }
		});
		expect(login.status).toBe(200);
		await warm(second);
		await first.request('POST', '/v1/auth/password', {
			json: {
				currentAuthKey: keys.current.authKey,
				newAuthKey: keys.current.authKey,
				kdf: keys.current.kdf,
				privateKeyWrappedByKek: signupBody(keys, email).privateKeyWrappedByKek
			}
		});
		expect(await status(second)).toBe(401);
		expect(await status(first)).toBe(200);
	});
});

describe.runIf(postgresAvailable)('session cache across two instances on one PostgreSQL', () => {
	it('refuses on one instance a session logged out on the other, however warm its cache', async () => {
		const database = await createScratchDatabase();
		const stores = [
			await openPostgresStore(database.url, { max: 2 }),
			await openPostgresStore(database.url, { max: 2 })
		];
		try {
			await migrate(stores[0]!, migrationsDir);
			const [appA, appB] = stores.map(makeApp);
			const onA = await signUp(appA!);
			const onB = withCookieOf(onA, appB!);
			await warm(onB);
			expect((await onA.request('POST', '/v1/auth/logout')).status).toBe(204);
			await expect.poll(() => status(onB), { timeout: 2_000 }).toBe(401);
		} finally {
			await Promise.all(stores.map((store) => store.close()));
			await database.drop();
		}
	});
});
