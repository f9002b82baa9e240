import {
	createKdfParams,
	createUserKeys,
	DecryptionError,
	deriveAccountKeys,
	deriveRecoveryAuthKey,
	deriveRecoveryWrappingKey,
	fromBase64Url,
	generateRecoveryKey,
	importPublicKey,
	parseRecoveryKey,
	rewrapPrivateKey,
	toBase64Url,
	unwrapPrivateKey,
	type CryptoKey
} from '../crypto/index.ts';
import type { AccountKeys, SessionResponse } from '../shared/auth.ts';
import {
	RecoveryKeyMismatchError,
	WrongPasswordError,
	NoDeviceAccountError
} from './account-errors.ts';
import type { AccountApi } from './account-api.ts';
import type { DeviceAccount, DeviceAccountStore, UnlockedKeys } from './device-account.ts';

// Every flow takes its I/O (the API client, the device store) as arguments, so tests run them
// against a real server and a real IndexedDB without a browser.

interface Deps {
	api: AccountApi;
	devices: DeviceAccountStore;
}

export interface SignedIn {
	session: SessionResponse;
	keys: UnlockedKeys;
}

async function unlockedFrom(
	userId: string,
	keys: AccountKeys,
	kek: CryptoKey
): Promise<UnlockedKeys> {
	const privateKey = await unwrapPrivateKey({
		wrapped: fromBase64Url(keys.privateKeyWrappedByKek),
		wrappingKey: kek
	});
	return { userId, keyPair: { privateKey, publicKey: await importPublicKey(keys.publicKey) } };
}

function deviceAccountFrom(session: SessionResponse): DeviceAccount {
	return {
		userId: session.user.id,
		kdf: session.keys.kdf,
		publicKeyJwk: session.keys.publicKey,
		privateKeyWrappedByKek: fromBase64Url(session.keys.privateKeyWrappedByKek),
		lastUnlockedAt: Date.now()
	};
}

/** Creates the account. Returns the recovery key, which the person must write down now. */
export async function signUp(
	{ api, devices }: Deps,
	input: { email: string; password: string; rememberDevice: boolean }
): Promise<SignedIn & { recoveryKey: string }> {
	const kdf = createKdfParams();
	const { authKey, kek } = await deriveAccountKeys({ password: input.password, params: kdf });
	const recovery = generateRecoveryKey();
	const userKeys = await createUserKeys({ kek, recoverySecret: recovery.secret });
	const session = await api.signup({
		email: input.email,
		authKey: toBase64Url(authKey),
		kdf,
		publicKey: userKeys.publicKeyJwk,
		privateKeyWrappedByKek: toBase64Url(userKeys.privateKeyWrappedByKek),
		privateKeyWrappedByRecovery: toBase64Url(userKeys.privateKeyWrappedByRecovery),
		recoveryAuthKey: toBase64Url(await deriveRecoveryAuthKey(recovery.secret)),
		rememberDevice: input.rememberDevice
	});
	await devices.put(deviceAccountFrom(session));
	return {
		session,
		keys: { userId: session.user.id, keyPair: userKeys.keyPair },
		recoveryKey: recovery.text
	};
}

/** Online sign-in: the server checks Argon2id(auth key); the password never leaves the device. */
export async function signIn(
	{ api, devices }: Deps,
	input: { email: string; password: string; rememberDevice: boolean }
): Promise<SignedIn> {
	const { kdf } = await api.prelogin(input.email);
	const { authKey, kek } = await deriveAccountKeys({ password: input.password, params: kdf });
	const session = await api.login({
		email: input.email,
		authKey: toBase64Url(authKey),
		rememberDevice: input.rememberDevice
	});
	const keys = await unlockedFrom(session.user.id, session.keys, kek);
	await devices.put(deviceAccountFrom(session));
	return { session, keys };
}

/** Offline unlock with the master password: only this device's wrapped keys are involved. */
export async function unlock(
	{ devices }: Pick<Deps, 'devices'>,
	input: { userId?: string; password: string }
): Promise<UnlockedKeys> {
	const account = input.userId ? await devices.get(input.userId) : await devices.latest();
	if (!account) throw new NoDeviceAccountError();
	const { kek } = await deriveAccountKeys({ password: input.password, params: account.kdf });
	let privateKey: CryptoKey;
	try {
		privateKey = await unwrapPrivateKey({
			wrapped: account.privateKeyWrappedByKek,
			wrappingKey: kek
		});
	} catch (error) {
		if (error instanceof DecryptionError) throw new WrongPasswordError();
		throw error;
	}
	const [publicKey] = await Promise.all([
		importPublicKey(account.publicKeyJwk),
		devices.put({ ...account, lastUnlockedAt: Date.now() })
	]);
	return { userId: account.userId, keyPair: { privateKey, publicKey } };
}

/** New master password: the private key is re-wrapped, nothing else changes (no data re-encrypted). */
export async function changePassword(
	{ api, devices }: Deps,
	input: { userId: string; currentPassword: string; newPassword: string }
): Promise<SessionResponse> {
	const account = await devices.get(input.userId);
	if (!account) throw new NoDeviceAccountError();
	const current = await deriveAccountKeys({ password: input.currentPassword, params: account.kdf });
	const kdf = createKdfParams();
	const next = await deriveAccountKeys({ password: input.newPassword, params: kdf });
	let privateKeyWrappedByKek: Uint8Array;
	try {
		privateKeyWrappedByKek = await rewrapPrivateKey({
			wrapped: account.privateKeyWrappedByKek,
			from: current.kek,
			to: next.kek
		});
	} catch (error) {
		if (error instanceof DecryptionError) throw new WrongPasswordError();
		throw error;
	}
	const session = await api.changePassword({
		currentAuthKey: toBase64Url(current.authKey),
		newAuthKey: toBase64Url(next.authKey),
		kdf,
		privateKeyWrappedByKek: toBase64Url(privateKeyWrappedByKek)
	});
	await devices.put(deviceAccountFrom(session));
	return session;
}

/** Forgotten password: the recovery key opens the same private key, so nothing is lost. */
export async function recoverAccount(
	{ api, devices }: Deps,
	input: { email: string; recoveryKey: string; newPassword: string; rememberDevice: boolean }
): Promise<SignedIn> {
	const secret = parseRecoveryKey(input.recoveryKey);
	const { privateKeyWrappedByRecovery } = await api.recoveryStart(input.email);
	const kdf = createKdfParams();
	const next = await deriveAccountKeys({ password: input.newPassword, params: kdf });
	let privateKeyWrappedByKek: Uint8Array;
	try {
		privateKeyWrappedByKek = await rewrapPrivateKey({
			wrapped: fromBase64Url(privateKeyWrappedByRecovery),
			from: await deriveRecoveryWrappingKey(secret),
			to: next.kek
		});
	} catch (error) {
		// Unknown emails get decoy bytes from the server: they fail here, exactly like a wrong key.
		if (error instanceof DecryptionError) throw new RecoveryKeyMismatchError();
		throw error;
	}
	const session = await api.recoveryComplete({
		email: input.email,
		recoveryAuthKey: toBase64Url(await deriveRecoveryAuthKey(secret)),
		newAuthKey: toBase64Url(next.authKey),
		kdf,
		privateKeyWrappedByKek: toBase64Url(privateKeyWrappedByKek),
		rememberDevice: input.rememberDevice
	});
	const keys = await unlockedFrom(session.user.id, session.keys, next.kek);
	await devices.put(deviceAccountFrom(session));
	return { session, keys };
}
