import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountApi } from '../../src/lib/account/account-api.ts';
import {
	changePassword,
	recoverAccount,
	signIn,
	signUp,
	unlock
} from '../../src/lib/account/account-flows.ts';
import {
	RecoveryKeyMismatchError,
	WrongPasswordError
} from '../../src/lib/account/account-errors.ts';
import { createDeviceAccountStore } from '../../src/lib/account/device-account-store.ts';
import { exportPublicKey } from '../../src/lib/crypto/index.ts';
import { openDeviceDb } from '../../src/lib/db/index.ts';
import { ApiRequestError } from '../../src/lib/http/api-errors.ts';
import { createApp } from '../../sync-server/src/app.ts';
import { createLogger } from '../../sync-server/src/logger.ts';
import { migrate } from '../../sync-server/src/store/migrate.ts';
import { openPgliteStore } from '../../sync-server/src/store/pglite-store.ts';
import type { Store } from '../../sync-server/src/store/store.ts';

// The page's account flows (src/lib/account) against the real /v1/auth routes, in process, on
// PGlite; IndexedDB is fake-indexeddb. Each flow runs Argon2id at the real 64 MiB.

const migrationsDir = new URL('../../supabase/migrations', import.meta.url).pathname;

/** A browser's fetch, reduced to what the flows need: same-origin requests and a cookie jar. */
function deviceFetch(app: ReturnType<typeof createApp>): typeof fetch {
	const jar = new Map<string, string>();
	return async (input, init) => {
		const headers = new Headers(init?.headers);
		if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
		const response = await app.request(String(input), { ...init, headers });
		for (const line of response.headers.getSetCookie()) {
			const [pair = ''] = line.split(';');
			const name = pair.slice(0, pair.indexOf('='));
			if (/;\s*max-age=0\b/i.test(line)) jar.delete(name);
			else jar.set(name, pair.slice(pair.indexOf('=') + 1));
		}
		return response;
	};
}

describe('the account flows of the app against the server', () => {
	let store: Store;
	let app: ReturnType<typeof createApp>;

	beforeAll(async () => {
		store = await openPgliteStore();
		await migrate(store, migrationsDir);
		app = createApp({
			store,
			version: 'test',
			logger: createLogger('silent'),
			auth: { secret: new Uint8Array(32).fill(7) }
		});
	});
	afterAll(async () => {
		await store.close();
	});

	function device() {
		return {
			api: createAccountApi({ fetch: deviceFetch(app) }),
			devices: createDeviceAccountStore(openDeviceDb())
		};
	}

	const email = `flows-${Date.now()}@example.org`;
	let recoveryKey = '';
	let publicKey: unknown;

	it('signs up, keeps only wrapped keys on the device, and unlocks offline with the password', async () => {
		const phone = device();
		const created = await signUp(phone, {
			email,
			password: 'first password 1',
			rememberDevice: true
		});
		recoveryKey = created.recoveryKey;
		publicKey = await exportPublicKey(created.keys.keyPair.publicKey, 'jwk');
		const stored = await phone.devices.latest();
		expect(stored?.userId).toBe(created.session.user.id);
		expect(JSON.stringify(stored)).not.toContain(email);

		// No API at all: unlock uses only what the device holds.
		const offline = { devices: phone.devices };
		const keys = await unlock(offline, { password: 'first password 1' });
		expect(await exportPublicKey(keys.keyPair.publicKey, 'jwk')).toEqual(publicKey);
		await expect(unlock(offline, { password: 'first password 2' })).rejects.toBeInstanceOf(
			WrongPasswordError
		);
	});

	it('signs in on a second device with the same keys; a wrong password is a plain 401', async () => {
		const tablet = device();
		const { keys } = await signIn(tablet, {
			email,
			password: 'first password 1',
			rememberDevice: false
		});
		expect(await exportPublicKey(keys.keyPair.publicKey, 'jwk')).toEqual(publicKey);
		const refused = await signIn(device(), {
			email,
			password: 'not my password',
			rememberDevice: false
		}).catch((error: unknown) => error);
		expect(refused).toBeInstanceOf(ApiRequestError);
		expect((refused as ApiRequestError).status).toBe(401);
		expect((refused as ApiRequestError).message).toBe('Email or password is incorrect.');
	});

	it('changes the password: the old one stops working, the keys stay the same', async () => {
		const laptop = device();
		const { session } = await signIn(laptop, {
			email,
			password: 'first password 1',
			rememberDevice: false
		});
		await changePassword(laptop, {
			userId: session.user.id,
			currentPassword: 'first password 1',
			newPassword: 'second password 2'
		});
		await expect(
			signIn(device(), { email, password: 'first password 1', rememberDevice: false })
		).rejects.toBeInstanceOf(ApiRequestError);
		const again = await signIn(device(), {
			email,
			password: 'second password 2',
			rememberDevice: false
		});
		expect(await exportPublicKey(again.keys.keyPair.publicKey, 'jwk')).toEqual(publicKey);
		// The device that changed it unlocks offline with the new password only.
		await unlock(laptop, { userId: session.user.id, password: 'second password 2' });
		await expect(
			unlock(laptop, { userId: session.user.id, password: 'first password 1' })
		).rejects.toBeInstanceOf(WrongPasswordError);
	});

	it('recovers with the recovery key: a new password and the same keys, so nothing is lost', async () => {
		await expect(
			recoverAccount(device(), {
				email,
				recoveryKey: recoveryKey.replace(/^(.....)-(.....)/, '$2-$1'),
				newPassword: 'third password 3',
				rememberDevice: false
			})
		).rejects.toThrow();
		await expect(
			recoverAccount(device(), {
				email: `nobody-${Date.now()}@example.org`,
				recoveryKey,
				newPassword: 'third password 3',
				rememberDevice: false
			})
		).rejects.toBeInstanceOf(RecoveryKeyMismatchError);

		const { keys } = await recoverAccount(device(), {
			email,
			recoveryKey: recoveryKey.toLowerCase().replaceAll('-', ' '),
			newPassword: 'third password 3',
			rememberDevice: false
		});
		expect(await exportPublicKey(keys.keyPair.publicKey, 'jwk')).toEqual(publicKey);
		const after = await signIn(device(), {
			email,
			password: 'third password 3',
			rememberDevice: false
		});
		expect(after.session.user.email).toBe(email);
	});
});
