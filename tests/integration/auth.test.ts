import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../sync-server/src/app.ts';
import { hashSessionToken } from '../../sync-server/src/auth/session-token.ts';
import { createLogger } from '../../sync-server/src/logger.ts';
import { migrate } from '../../sync-server/src/store/migrate.ts';
import type { Store } from '../../sync-server/src/store/store.ts';
import { transactionAs } from '../../sync-server/src/store/transaction-as.ts';
import {
	deriveRecoveryWrappingKey,
	fromBase64Url,
	importPrivateKeyPkcs8,
	parseRecoveryKey,
	toBase64Url,
	unwrapPrivateKey
} from '../../src/lib/crypto/index.ts';
import { getSubtle } from '../../src/lib/crypto/webcrypto.ts';
import { ApiErrorBody } from '../../src/lib/shared/api-error.ts';
import {
	KdfParams,
	PreloginResponse,
	RecoveryStartResponse,
	SessionResponse
} from '../../src/lib/shared/auth.ts';
import { createApiClient, type ApiClient } from '../helpers/api-client.ts';
import {
	createClientAccount,
	derivePasswordKeys,
	privateKeyBytes,
	rewrapForPassword,
	signupBody,
	type ClientAccount,
	type PasswordKeys
} from '../helpers/auth-client.ts';
import { storeKinds } from '../helpers/databases.ts';
import { spawnServer, startServer, tempDataDir } from '../helpers/server-process.ts';

const migrationsDir = new URL('../../supabase/migrations', import.meta.url).pathname;
const COOKIE = '__Host-charta_session';
const SECRET = new Uint8Array(32).fill(7);
const DAY_MS = 24 * 60 * 60 * 1000;

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const newEmail = (label = 'clinician') => `${label}-${randomUUID().slice(0, 8)}@example.org`;
const randomAuthKey = () => toBase64Url(randomBytes(32));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

// Argon2id at 64 MiB costs the client a fraction of a second per derivation: derive once per
// file. Every account here shares this key material under different emails (the KDF salt lives
// in `kdf`, not in the email), which is all the server ever sees of it anyway.
let alice: ClientAccount;
let changed: PasswordKeys;

beforeAll(async () => {
	alice = await createClientAccount(await derivePasswordKeys('correct horse battery staple'));
	changed = await derivePasswordKeys('a new passphrase, typed twice');
});

describe.each(storeKinds)('accounts and sessions on $name', ({ available, open }) => {
	let store: Store;
	let dispose: () => Promise<void>;
	let app: App;
	const logLines: string[] = [];

	beforeAll(async () => {
		if (!available) return;
		({ store, dispose } = await open());
		await migrate(store, migrationsDir);
		const logger = createLogger('trace', { write: (line: string) => void logLines.push(line) });
		app = createApp({
			store,
			version: 'test',
			logger,
			auth: { secret: SECRET, trustedProxyHops: 1 }
		});
	});
	afterAll(async () => {
		await dispose?.();
	});
	beforeEach((context) => {
		if (!available) context.skip('PostgreSQL is not reachable');
	});

	const client = (ip?: string) => createApiClient(app, { ip });

	async function signUp(email = newEmail(), extra: { rememberDevice?: boolean } = {}) {
		const device = client();
		const response = await device.request<SessionResponse>('POST', '/v1/auth/signup', {
			json: signupBody(alice, email, extra)
		});
		expect(response.status).toBe(201);
		return { device, email, response };
	}

	const login = (device: ApiClient, email: string, authKey: string, rememberDevice = false) =>
		device.request<SessionResponse>('POST', '/v1/auth/login', {
			json: { email, authKey, rememberDevice }
		});

	const sessionOf = (device: ApiClient) =>
		device.request<SessionResponse>('GET', '/v1/auth/session');

	const setSessionColumns = (token: string, assignments: string) =>
		store.query(`update charta.sessions set ${assignments} where token_hash = $1`, [
			hashSessionToken(token)
		]);

	it('signs up, reads the session, logs out, and is then refused until it logs in again', async () => {
		const { device, email, response } = await signUp();
		const signedUp = SessionResponse.parse(response.body);
		expect(signedUp.user.email).toBe(email);
		expect(signedUp.keys).toEqual({
			kdf: alice.current.kdf,
			publicKey: alice.publicKey,
			privateKeyWrappedByKek: toBase64Url(alice.privateKeyWrappedByKek)
		});
		expect(device.cookies.get(COOKIE)).toMatch(/^[A-Za-z0-9_-]{43}$/);

		const current = await sessionOf(device);
		expect(current.status).toBe(200);
		expect(current.body).toEqual(signedUp);

		const stolen = device.cookieHeader();
		const logout = await device.request('POST', '/v1/auth/logout');
		expect(logout.status).toBe(204);
		expect(logout.setCookies.join()).toMatch(/__Host-charta_session=;.*Max-Age=0/i);
		expect(device.cookies.size).toBe(0);
		expect((await sessionOf(device)).status).toBe(401);

		const replayed = await app.request('/v1/auth/session', { headers: { cookie: stolen } });
		expect(replayed.status).toBe(401);
		expect(ApiErrorBody.parse(await replayed.json()).error.code).toBe('unauthenticated');

		expect((await login(device, email.toUpperCase(), alice.current.authKey)).status).toBe(200);
		expect((await sessionOf(device)).body).toMatchObject({ user: signedUp.user });
	});

	it('refuses a revoked or expired session, and tells the browser to drop its cookie', async () => {
		const { device } = await signUp();
		const token = device.cookies.get(COOKIE)!;

		await setSessionColumns(token, 'revoked_at = now()');
		const revoked = await sessionOf(device);
		expect(revoked.status).toBe(401);
		expect(ApiErrorBody.parse(revoked.body).error.code).toBe('unauthenticated');
		expect(revoked.setCookies.join()).toMatch(/Max-Age=0/);

		const { device: other } = await signUp();
		await setSessionColumns(other.cookies.get(COOKIE)!, `expires_at = now() - interval '1 second'`);
		expect((await sessionOf(other)).status).toBe(401);

		const garbage = await app.request('/v1/auth/session', {
			headers: { cookie: `${COOKIE}=not-a-token` }
		});
		expect(garbage.status).toBe(401);
	});

	it("slides a browser session's 12-hour idle expiry, but not a remembered device's 30 days", async () => {
		const { device } = await signUp();
		const token = device.cookies.get(COOKIE)!;
		await setSessionColumns(
			token,
			`last_seen_at = now() - interval '2 hours', expires_at = now() + interval '10 hours'`
		);
		const slid = SessionResponse.parse((await sessionOf(device)).body);
		expect(Date.parse(slid.session.expiresAt) - Date.now()).toBeGreaterThan(11.9 * 60 * 60 * 1000);

		const { device: remembered } = await signUp(newEmail(), { rememberDevice: true });
		await setSessionColumns(
			remembered.cookies.get(COOKIE)!,
			`last_seen_at = now() - interval '2 days', expires_at = now() + interval '28 days'`
		);
		const fixed = SessionResponse.parse((await sessionOf(remembered)).body);
		expect(Date.parse(fixed.session.expiresAt) - Date.now()).toBeLessThan(28.01 * DAY_MS);
	});

	it('sets a 30-day cookie to remember the device, and a browser-session cookie otherwise', async () => {
		const { response: remembered } = await signUp(newEmail(), { rememberDevice: true });
		const [persistent] = remembered.setCookies;
		expect(persistent).toMatch(/^__Host-charta_session=[A-Za-z0-9_-]{43};/);
		for (const attribute of [
			/Max-Age=2592000/,
			/Path=\//,
			/HttpOnly/,
			/Secure/,
			/SameSite=Strict/
		]) {
			expect(persistent).toMatch(attribute);
		}
		expect(persistent).not.toMatch(/Domain=/i);
		const rememberedFor = Date.parse(remembered.body.session.expiresAt) - Date.now();
		expect(rememberedFor / DAY_MS).toBeCloseTo(30, 1);
		expect(remembered.body.session.rememberDevice).toBe(true);

		const device = client();
		const plain = await login(device, (await signUp()).email, alice.current.authKey);
		expect(plain.status).toBe(200);
		const [browserSession] = plain.setCookies;
		expect(browserSession).toMatch(/HttpOnly/);
		expect(browserSession).toMatch(/Secure/);
		expect(browserSession).toMatch(/SameSite=Strict/);
		expect(browserSession).not.toMatch(/Max-Age|Expires/i);
		const idleFor = Date.parse(plain.body.session.expiresAt) - Date.now();
		expect(idleFor / 3_600_000).toBeCloseTo(12, 1);
	});

	it('answers a wrong password and an unknown email with the same 401', async () => {
		const { email } = await signUp();
		const wrongPassword = await login(client(), email, randomAuthKey());
		const unknownEmail = await login(client(), newEmail('nobody'), alice.current.authKey);
		expect(wrongPassword.status).toBe(401);
		expect(unknownEmail.status).toBe(401);
		expect(wrongPassword.body).toEqual({
			error: { code: 'invalid_credentials', message: 'Email or password is incorrect.' }
		});
		expect(unknownEmail.body).toEqual(wrongPassword.body);
		expect([...unknownEmail.headers.keys()].sort()).toEqual(
			[...wrongPassword.headers.keys()].sort()
		);
		expect(wrongPassword.setCookies).toEqual([]);
	});

	it('takes about as long for an unknown email as for a known one, at login and prelogin', async () => {
		const known = [(await signUp()).email, (await signUp()).email, (await signUp()).email];
		const wrong: number[] = [];
		const unknown: number[] = [];
		for (let i = 0; i < 15; i++) {
			let started = performance.now();
			expect((await login(client(), known[i % 3]!, randomAuthKey())).status).toBe(401);
			wrong.push(performance.now() - started);
			started = performance.now();
			expect((await login(client(), newEmail('nobody'), randomAuthKey())).status).toBe(401);
			unknown.push(performance.now() - started);
		}
		// Without the dummy verify an unknown email skips a ~16 ms Argon2id and answers in a
		// quarter of the time; the bounds leave room for a busy two-core machine.
		const ratio = median(unknown) / median(wrong);
		expect(ratio).toBeGreaterThan(0.6);
		expect(ratio).toBeLessThan(1.6);

		// Prelogin does the same work for both: one indexed lookup and one HMAC.
		const prelogin = async (email: string) => {
			const started = performance.now();
			const response = await client().request('POST', '/v1/auth/prelogin', { json: { email } });
			expect(response.status).toBe(200);
			return performance.now() - started;
		};
		const real: number[] = [];
		const decoy: number[] = [];
		for (let i = 0; i < 30; i++) {
			real.push(await prelogin(known[i % 3]!));
			decoy.push(await prelogin(newEmail('nobody')));
		}
		expect(median(decoy) / median(real)).toBeGreaterThan(0.6);
		expect(median(decoy) / median(real)).toBeLessThan(1.6);
	});

	it('answers prelogin for an unknown email with a stable decoy shaped like a real answer', async () => {
		const { email } = await signUp();
		const prelogin = (address: string) =>
			client().request<PreloginResponse>('POST', '/v1/auth/prelogin', { json: { email: address } });

		const real = await prelogin(email);
		expect(real.status).toBe(200);
		expect(real.body).toEqual({ kdf: alice.current.kdf });

		const stranger = newEmail('nobody');
		const first = await prelogin(stranger);
		const again = await prelogin(` ${stranger.toUpperCase()} `);
		expect(first.status).toBe(200);
		expect(again.body).toEqual(first.body);
		const decoy = PreloginResponse.parse(first.body).kdf;
		expect(KdfParams.parse(decoy)).toEqual(decoy);
		expect(Object.keys(decoy)).toEqual(Object.keys(real.body.kdf));
		expect(JSON.stringify(first.body).length).toBe(JSON.stringify(real.body).length);
		expect(decoy).toMatchObject({ algorithm: 'argon2id', memoryKiB: 65536, iterations: 3 });
		expect((await prelogin(newEmail('nobody'))).body).not.toEqual(first.body);

		// Another server instance with the same secret tells the same story.
		const twin = createApp({
			store,
			version: 'test',
			logger: createLogger('silent'),
			auth: { secret: SECRET, trustedProxyHops: 1 }
		});
		const fromTwin = await createApiClient(twin).request('POST', '/v1/auth/prelogin', {
			json: { email: stranger }
		});
		expect(fromTwin.body).toEqual(first.body);
	});

	it('answers recovery/start for an unknown email with stable decoy bytes as long as real ones', async () => {
		const { email } = await signUp();
		const start = (address: string) =>
			client().request<RecoveryStartResponse>('POST', '/v1/auth/recovery/start', {
				json: { email: address }
			});
		const real = await start(email);
		expect(real.body).toEqual({
			privateKeyWrappedByRecovery: toBase64Url(alice.privateKeyWrappedByRecovery)
		});
		const stranger = newEmail('nobody');
		const decoy = await start(stranger);
		expect(decoy.status).toBe(200);
		expect((await start(stranger)).body).toEqual(decoy.body);
		const bytes = fromBase64Url(decoy.body.privateKeyWrappedByRecovery);
		expect(bytes).toHaveLength(alice.privateKeyWrappedByRecovery.length);
		expect(bytes[0]).toBe(alice.privateKeyWrappedByRecovery[0]);
	});

	it('refuses a second account for the same email, whatever its case', async () => {
		const { email } = await signUp();
		const before = await store.query('select count(*)::int as n from charta.users');
		for (const variant of [email, email.toUpperCase(), `  ${email} `]) {
			const again = await client().request('POST', '/v1/auth/signup', {
				json: signupBody(alice, variant)
			});
			expect(again.status).toBe(409);
			expect(ApiErrorBody.parse(again.body).error.code).toBe('email_taken');
			expect(again.setCookies).toEqual([]);
		}
		expect(await store.query('select count(*)::int as n from charta.users')).toEqual(before);
	});

	it('answers malformed bodies with 400 invalid_request naming the fields, and writes nothing', async () => {
		const good = signupBody(alice, newEmail());
		const cases: {
			name: string;
			path?: string;
			request: { json?: unknown; body?: string; contentType?: string };
			fields: string[];
		}[] = [
			{ name: 'not JSON at all', request: { body: '{"email": ' }, fields: [''] },
			{
				name: 'JSON sent as text',
				request: { body: JSON.stringify(good), contentType: 'text/plain' },
				fields: ['']
			},
			{ name: 'an array', request: { json: [good] }, fields: [''] },
			{
				name: 'nothing but an email',
				request: { json: { email: good.email } },
				fields: [
					'authKey',
					'kdf',
					'publicKey',
					'privateKeyWrappedByKek',
					'privateKeyWrappedByRecovery',
					'recoveryAuthKey'
				]
			},
			{
				name: 'a bad email',
				request: { json: { ...good, email: 'not an email' } },
				fields: ['email']
			},
			{
				name: 'a short auth key',
				request: { json: { ...good, authKey: good.authKey.slice(0, 20) } },
				fields: ['authKey']
			},
			{
				name: 'an auth key that is not canonical base64url',
				request: { json: { ...good, authKey: good.authKey.slice(0, 42) + 'B' } },
				fields: ['authKey']
			},
			{
				name: 'a KDF below policy',
				request: { json: { ...good, kdf: { ...good.kdf, memoryKiB: 1024 } } },
				fields: ['kdf.memoryKiB']
			},
			{
				name: 'a public key off the curve',
				request: { json: { ...good, publicKey: { ...good.publicKey, y: good.publicKey.x } } },
				fields: ['publicKey']
			},
			{
				name: 'rememberDevice as a string',
				request: { json: { ...good, rememberDevice: 'yes' } },
				fields: ['rememberDevice']
			},
			{
				name: 'a login without an auth key',
				path: '/v1/auth/login',
				request: { json: { email: good.email } },
				fields: ['authKey']
			},
			{ name: 'an empty prelogin', path: '/v1/auth/prelogin', request: { body: '' }, fields: [''] },
			{
				name: 'recovery with a wrapped key of 10 bytes',
				path: '/v1/auth/recovery/complete',
				request: {
					json: {
						email: good.email,
						recoveryAuthKey: good.recoveryAuthKey,
						newAuthKey: good.authKey,
						kdf: good.kdf,
						privateKeyWrappedByKek: toBase64Url(new Uint8Array(10))
					}
				},
				fields: ['privateKeyWrappedByKek']
			}
		];
		const before = await store.query('select count(*)::int as n from charta.users');
		for (const { name, path = '/v1/auth/signup', request, fields } of cases) {
			const response = await client().request('POST', path, request);
			expect(response.status, name).toBe(400);
			const { error } = ApiErrorBody.parse(response.body);
			expect(error.code, name).toBe('invalid_request');
			const issues = (error.details as { issues: { path: (string | number)[] }[] }).issues;
			expect([...new Set(issues.map((issue) => issue.path.join('.')))].sort(), name).toEqual(
				[...fields].sort()
			);
			expect(response.setCookies, name).toEqual([]);
		}
		expect(await store.query('select count(*)::int as n from charta.users')).toEqual(before);
	});

	it('changes the password: the old one fails, the new one works, the key still unwraps, other sessions end', async () => {
		const { device, email } = await signUp();
		const otherDevice = client();
		expect((await login(otherDevice, email, alice.current.authKey)).status).toBe(200);

		const change = await device.request<SessionResponse>('POST', '/v1/auth/password', {
			json: {
				currentAuthKey: alice.current.authKey,
				newAuthKey: changed.authKey,
				kdf: changed.kdf,
				privateKeyWrappedByKek: await rewrapForPassword(
					alice.privateKeyWrappedByKek,
					alice.current.kek,
					changed
				)
			}
		});
		expect(change.status).toBe(200);
		expect(change.body.keys.kdf).toEqual(changed.kdf);
		expect((await sessionOf(device)).status).toBe(200);
		expect((await sessionOf(otherDevice)).status).toBe(401);

		expect((await login(client(), email, alice.current.authKey)).status).toBe(401);
		const prelogin = await client().request<PreloginResponse>('POST', '/v1/auth/prelogin', {
			json: { email }
		});
		expect(prelogin.body.kdf).toEqual(changed.kdf);
		const relogged = await login(client(), email, changed.authKey);
		expect(relogged.status).toBe(200);
		const wrapped = fromBase64Url(relogged.body.keys.privateKeyWrappedByKek);
		expect(hex(await privateKeyBytes(wrapped, changed.kek))).toBe(hex(alice.privateKeyPkcs8));
		expect(relogged.body.keys.publicKey).toEqual(alice.publicKey);
	});

	it('refuses a password change with the wrong current password (403) or without a session (401)', async () => {
		const { device } = await signUp();
		const body = {
			currentAuthKey: randomAuthKey(),
			newAuthKey: changed.authKey,
			kdf: changed.kdf,
			privateKeyWrappedByKek: toBase64Url(alice.privateKeyWrappedByKek)
		};
		const wrong = await device.request('POST', '/v1/auth/password', { json: body });
		expect(wrong.status).toBe(403);
		expect(ApiErrorBody.parse(wrong.body).error.code).toBe('invalid_credentials');
		expect((await sessionOf(device)).status).toBe(200);

		const anonymous = await client().request('POST', '/v1/auth/password', { json: body });
		expect(anonymous.status).toBe(401);
		expect(ApiErrorBody.parse(anonymous.body).error.code).toBe('unauthenticated');
	});

	it('recovers with the recovery key: a new password, the same private key, every old session ended', async () => {
		const { device, email } = await signUp();
		const elsewhere = client();
		await login(elsewhere, email, alice.current.authKey);

		// The device that lost its password: only the email and the printed recovery key.
		const lost = client();
		const started = await lost.request<RecoveryStartResponse>('POST', '/v1/auth/recovery/start', {
			json: { email }
		});
		const secret = parseRecoveryKey(alice.recovery.text.toLowerCase().replaceAll('-', ' '));
		const wrappingKey = await deriveRecoveryWrappingKey(secret);
		const wrapped = fromBase64Url(started.body.privateKeyWrappedByRecovery);
		const completed = await lost.request<SessionResponse>('POST', '/v1/auth/recovery/complete', {
			json: {
				email,
				recoveryAuthKey: alice.recovery.authKey,
				newAuthKey: changed.authKey,
				kdf: changed.kdf,
				privateKeyWrappedByKek: await rewrapForPassword(wrapped, wrappingKey, changed)
			}
		});
		expect(completed.status).toBe(200);
		expect(lost.cookies.get(COOKIE)).toBeDefined();
		expect((await sessionOf(lost)).status).toBe(200);
		expect((await sessionOf(device)).status).toBe(401);
		expect((await sessionOf(elsewhere)).status).toBe(401);

		expect((await login(client(), email, alice.current.authKey)).status).toBe(401);
		const relogged = await login(client(), email, changed.authKey);
		expect(relogged.status).toBe(200);
		const rewrapped = fromBase64Url(relogged.body.keys.privateKeyWrappedByKek);
		expect(hex(await privateKeyBytes(rewrapped, changed.kek))).toBe(hex(alice.privateKeyPkcs8));
		// The recovery key still opens its copy, so it keeps working for next time.
		const again = await client().request<RecoveryStartResponse>('POST', '/v1/auth/recovery/start', {
			json: { email }
		});
		expect(again.body.privateKeyWrappedByRecovery).toBe(started.body.privateKeyWrappedByRecovery);
	});

	it('refuses recovery with a wrong recovery key, or for an unknown email, alike', async () => {
		const { device, email } = await signUp();
		const body = (address: string, recoveryAuthKey: string) => ({
			email: address,
			recoveryAuthKey,
			newAuthKey: changed.authKey,
			kdf: changed.kdf,
			privateKeyWrappedByKek: toBase64Url(alice.privateKeyWrappedByKek)
		});
		const wrongKey = await client().request('POST', '/v1/auth/recovery/complete', {
			json: body(email, randomAuthKey())
		});
		const unknown = await client().request('POST', '/v1/auth/recovery/complete', {
			json: body(newEmail('nobody'), alice.recovery.authKey)
		});
		expect(wrongKey.status).toBe(401);
		expect(ApiErrorBody.parse(wrongKey.body).error.code).toBe('invalid_credentials');
		expect(unknown.body).toEqual(wrongKey.body);
		expect((await sessionOf(device)).status).toBe(200);
		expect((await login(client(), email, alice.current.authKey)).status).toBe(200);
	});

	it('limits login failures per account with 429 and Retry-After, and forgives them after a success', async () => {
		const { email } = await signUp();
		for (let i = 0; i < 9; i++)
			expect((await login(client(), email, randomAuthKey())).status).toBe(401);
		expect((await login(client(), email, alice.current.authKey)).status).toBe(200);

		for (let i = 0; i < 10; i++)
			expect((await login(client(), email, randomAuthKey())).status).toBe(401);
		const limited = await login(client(), email, alice.current.authKey);
		expect(limited.status).toBe(429);
		const retryAfter = Number(limited.headers.get('retry-after'));
		expect(retryAfter).toBeGreaterThan(0);
		expect(retryAfter).toBeLessThanOrEqual(15 * 60);
		const { error } = ApiErrorBody.parse(limited.body);
		expect(error.code).toBe('rate_limited');
		expect(error.message).toMatch(
			/^Too many attempts\. Please wait (15 minutes|\d+ minutes?) and try again\.$/
		);
		expect(error.details).toEqual({ retryAfterSeconds: retryAfter });

		// The limit is the account's, not the device's: an unknown email is still answered.
		expect((await login(client(), newEmail('nobody'), randomAuthKey())).status).toBe(401);
	});

	it('limits login failures per address across accounts', async () => {
		const address = `192.0.2.${Math.floor(Math.random() * 250)}`;
		for (let i = 0; i < 50; i++) {
			expect((await login(client(address), newEmail('guess'), randomAuthKey())).status).toBe(401);
		}
		const limited = await login(client(address), newEmail('guess'), randomAuthKey());
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
	});

	it('keeps no password, auth key, recovery key or private key in its tables, only hashes and wrapped keys', async () => {
		const { device, email } = await signUp();
		const tokens = [device.cookies.get(COOKIE)!];
		const other = client();
		await login(other, email, alice.current.authKey);
		tokens.push(other.cookies.get(COOKIE)!);
		await device.request('POST', '/v1/auth/password', {
			json: {
				currentAuthKey: alice.current.authKey,
				newAuthKey: changed.authKey,
				kdf: changed.kdf,
				privateKeyWrappedByKek: await rewrapForPassword(
					alice.privateKeyWrappedByKek,
					alice.current.kek,
					changed
				)
			}
		});
		await client().request('POST', '/v1/auth/recovery/start', { json: { email } });

		const tables = await store.query<{ name: string }>(
			`select tablename as name from pg_tables where schemaname = 'charta' order by 1`
		);
		expect(tables.map((table) => table.name)).toEqual(
			expect.arrayContaining(['users', 'sessions', 'rate_limits', 'server_secrets'])
		);
		let dump = '';
		for (const { name } of tables) {
			const rows = await store.query<{ row: string }>(
				`select t::text as row from charta.${name} t`
			);
			dump += rows.map((row) => row.row).join('\n') + '\n';
		}

		const privateJwk = await getSubtle().exportKey(
			'jwk',
			await importPrivateKeyPkcs8(alice.privateKeyPkcs8, { extractable: true })
		);
		const secrets: Record<string, Uint8Array | string> = {
			'first password': alice.current.password,
			'second password': changed.password,
			'first auth key': fromBase64Url(alice.current.authKey),
			'second auth key': fromBase64Url(changed.authKey),
			'first master key': alice.current.masterKey,
			'second master key': changed.masterKey,
			'recovery key text': alice.recovery.text,
			'recovery key, compact': alice.recovery.text.replaceAll('-', ''),
			'recovery secret': alice.recovery.secret,
			'recovery auth key': fromBase64Url(alice.recovery.authKey),
			'private key (PKCS #8)': alice.privateKeyPkcs8,
			'private scalar d': fromBase64Url(privateJwk.d!),
			...Object.fromEntries(tokens.map((token, i) => [`session token ${i}`, fromBase64Url(token)]))
		};
		for (const [label, secret] of Object.entries(secrets)) {
			const forms =
				typeof secret === 'string'
					? [secret, secret.toLowerCase()]
					: [hex(secret), toBase64Url(secret), Buffer.from(secret).toString('base64')];
			for (const form of forms) expect(dump.includes(form), `${label} as ${form}`).toBe(false);
		}

		const [user] = await store.query<Record<string, string>>(
			`select auth_key_hash, recovery_auth_hash, public_key::text as public_key,
			        encode(private_key_wrapped_by_kek, 'hex') as kek_wrapped,
			        encode(private_key_wrapped_by_recovery, 'hex') as recovery_wrapped
			 from charta.users where email = $1`,
			[email]
		);
		expect(user!.auth_key_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[^$]{22}\$[^$]{43}$/);
		expect(user!.recovery_auth_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(JSON.parse(user!.public_key!)).toEqual(alice.publicKey);
		expect(user!.recovery_wrapped).toBe(hex(alice.privateKeyWrappedByRecovery));
		await expect(
			unwrapPrivateKey({
				wrapped: Buffer.from(user!.kek_wrapped!, 'hex'),
				wrappingKey: changed.kek
			})
		).resolves.toBeDefined();
	});

	it('lets `authenticated` with forged claims of user A see only A, under row-level security', async () => {
		const a = await signUp();
		const b = await signUp();
		const asA = <T>(sql: string, params: unknown[] = []) =>
			transactionAs(
				store,
				{ role: 'authenticated', claims: { sub: a.response.body.user.id } },
				(tx) => tx.query<T & Record<string, unknown>>(sql, params)
			);
		const bId = b.response.body.user.id;

		expect(await asA<{ id: string }>('select id from charta.users')).toEqual([
			{ id: a.response.body.user.id }
		]);
		expect(await asA('select id, email from charta.users where id = $1', [bId])).toEqual([]);
		expect(await asA('select id from charta.sessions where user_id = $1', [bId])).toEqual([]);
		const own = await asA<{ user_id: string }>('select user_id from charta.sessions');
		expect(own.length).toBeGreaterThan(0);
		expect(new Set(own.map((row) => row.user_id))).toEqual(new Set([a.response.body.user.id]));

		// Not even their own verifier hashes or token hashes, and no writes at all.
		for (const sql of [
			'select auth_key_hash from charta.users',
			'select token_hash from charta.sessions',
			`update charta.users set email = 'taken@example.org'`,
			'delete from charta.sessions',
			'select * from charta.rate_limits',
			'select * from charta.server_secrets'
		]) {
			await expect(asA(sql), sql).rejects.toMatchObject({ code: '42501' });
		}
		await expect(
			transactionAs(store, { role: 'anon' }, (tx) => tx.query('select id from charta.users'))
		).rejects.toMatchObject({ code: '42501' });
	});

	it('logs requests without emails, tokens, keys or bodies', async () => {
		const email = newEmail('logged');
		const { device } = await signUp(email);
		await login(client(), email, randomAuthKey());
		await client().request('POST', '/v1/auth/prelogin', { json: { email } });
		const logs = logLines.join('');
		expect(logs).toContain('/v1/auth/signup');
		for (const secret of [
			email,
			email.split('@')[0]!,
			device.cookies.get(COOKIE)!,
			alice.current.authKey,
			alice.recovery.authKey,
			toBase64Url(alice.privateKeyWrappedByKek).slice(0, 40)
		]) {
			expect(logs).not.toContain(secret);
		}
	});
});

describe('accounts on a real server process', () => {
	it('keeps decoys stable across restarts and between servers sharing AUTH_SECRET, and keeps secrets out of its output', async () => {
		const stranger = newEmail('nobody');
		const prelogin = async (url: string) => {
			const response = await fetch(`${url}/v1/auth/prelogin`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ email: stranger })
			});
			return response.json();
		};

		// Without AUTH_SECRET: generated once, kept in the database.
		const dataDir = tempDataDir();
		const first = await startServer({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
		const email = newEmail('process');
		const signup = await fetch(`${first.url}/v1/auth/signup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(signupBody(alice, email))
		});
		expect(signup.status).toBe(201);
		const token = /__Host-charta_session=([^;]+)/.exec(signup.headers.get('set-cookie') ?? '')?.[1];
		expect(token).toBeDefined();
		const before = await prelogin(first.url);
		expect(await first.stop()).toBe(0);
		const output = first.output().stdout + first.output().stderr;
		for (const secret of [email, token!, alice.current.authKey, alice.recovery.authKey]) {
			expect(output).not.toContain(secret);
		}
		const second = await startServer({ DATA_DIR: dataDir });
		expect(await prelogin(second.url)).toEqual(before);
		await second.stop();

		// With AUTH_SECRET: two servers on different databases agree, and differ from the above.
		const authSecret = toBase64Url(randomBytes(32));
		const [x, y] = await Promise.all([
			startServer({ AUTH_SECRET: authSecret }),
			startServer({ AUTH_SECRET: authSecret })
		]);
		try {
			const fromX = await prelogin(x.url);
			expect(await prelogin(y.url)).toEqual(fromX);
			expect(fromX).not.toEqual(before);
		} finally {
			await Promise.all([x.stop(), y.stop()]);
		}
	}, 180_000);

	it('refuses to start with an AUTH_SECRET that is too short, without echoing it', async () => {
		const spawned = spawnServer({ AUTH_SECRET: 'c2hvcnQtc2VjcmV0' });
		expect(await spawned.exited).not.toBe(0);
		const { stderr } = spawned.output();
		expect(stderr).toMatch(
			/^charta: Invalid AUTH_SECRET: must be base64url of at least 32 random bytes/
		);
		expect(stderr).not.toContain('c2hvcnQtc2VjcmV0');
	});

	// A store that fails every transaction: these answers must come before any database work.
	const unreachableApp = () =>
		createApp({
			store: {
				kind: 'pglite',
				ping: async () => true,
				transaction: () => Promise.reject(new Error('no database work expected'))
			} as unknown as Store,
			version: 'test',
			logger: createLogger('silent'),
			auth: { secret: SECRET }
		});

	it('answers health without looking up the session cookie', async () => {
		const response = await unreachableApp().request('/v1/health', {
			headers: { cookie: `${COOKIE}=${'A'.repeat(43)}` }
		});
		expect(response.status).toBe(200);
	});

	it('refuses an auth body over 16 KiB with 413 before reading it into a schema', async () => {
		const response = await unreachableApp().request('/v1/auth/prelogin', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email: 'a@example.org', padding: 'x'.repeat(20_000) })
		});
		expect(response.status).toBe(413);
		expect(ApiErrorBody.parse(await response.json()).error.code).toBe('payload_too_large');
	});

	it('publishes every auth route in its OpenAPI document', async () => {
		const app = unreachableApp();
		const document = (await (await app.request('/v1/openapi.json')).json()) as {
			paths: Record<string, Record<string, unknown>>;
		};
		expect(Object.keys(document.paths)).toEqual(
			expect.arrayContaining([
				'/v1/auth/signup',
				'/v1/auth/prelogin',
				'/v1/auth/login',
				'/v1/auth/logout',
				'/v1/auth/session',
				'/v1/auth/password',
				'/v1/auth/recovery/start',
				'/v1/auth/recovery/complete'
			])
		);
		expect(Object.keys(document.paths['/v1/auth/login']!)).toEqual(['post']);
	});
});
