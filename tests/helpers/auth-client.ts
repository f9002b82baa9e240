import {
	createKdfParams,
	createUserKeys,
	deriveAccountKeys,
	deriveMasterKey,
	deriveRecoveryAuthKey,
	exportPrivateKeyPkcs8,
	generateRecoveryKey,
	rewrapPrivateKey,
	toBase64Url,
	unwrapPrivateKey,
	type CryptoKey,
	type KdfParams
} from '../../src/lib/crypto/index.ts';
import type { SignupRequest } from '../../src/lib/shared/auth.ts';

/** What a device holds for one password: the KDF parameters, the auth key it sends, its KEK. */
export interface PasswordKeys {
	password: string;
	kdf: KdfParams;
	authKey: string;
	kek: CryptoKey;
	/** Only so a test can look for it in the server's tables; a real client never keeps it. */
	masterKey: Uint8Array;
}

export async function derivePasswordKeys(password: string): Promise<PasswordKeys> {
	const kdf = createKdfParams();
	const { authKey, kek } = await deriveAccountKeys({ password, params: kdf });
	const masterKey = await deriveMasterKey({ password, params: kdf });
	return { password, kdf, authKey: toBase64Url(authKey), kek, masterKey };
}

/** Real client key material for one account, made as the sign-up page makes it. */
export interface ClientAccount {
	current: PasswordKeys;
	recovery: { text: string; secret: Uint8Array; authKey: string };
	publicKey: SignupRequest['publicKey'];
	privateKeyWrappedByKek: Uint8Array;
	privateKeyWrappedByRecovery: Uint8Array;
	/** The private key in the clear (PKCS #8), to compare and to look for where it must not be. */
	privateKeyPkcs8: Uint8Array;
}

export async function createClientAccount(current: PasswordKeys): Promise<ClientAccount> {
	const recovery = generateRecoveryKey();
	const keys = await createUserKeys({ kek: current.kek, recoverySecret: recovery.secret });
	return {
		current,
		recovery: {
			...recovery,
			authKey: toBase64Url(await deriveRecoveryAuthKey(recovery.secret))
		},
		publicKey: keys.publicKeyJwk,
		privateKeyWrappedByKek: keys.privateKeyWrappedByKek,
		privateKeyWrappedByRecovery: keys.privateKeyWrappedByRecovery,
		privateKeyPkcs8: await privateKeyBytes(keys.privateKeyWrappedByKek, current.kek)
	};
}

export function signupBody(
	account: ClientAccount,
	email: string,
	extra: Partial<SignupRequest> = {}
): SignupRequest {
	return {
		email,
		authKey: account.current.authKey,
		kdf: account.current.kdf,
		publicKey: account.publicKey,
		privateKeyWrappedByKek: toBase64Url(account.privateKeyWrappedByKek),
		privateKeyWrappedByRecovery: toBase64Url(account.privateKeyWrappedByRecovery),
		recoveryAuthKey: account.recovery.authKey,
		...extra
	};
}

export async function privateKeyBytes(wrapped: Uint8Array, wrappingKey: CryptoKey) {
	const key = await unwrapPrivateKey({ wrapped, wrappingKey, extractable: true });
	return exportPrivateKeyPkcs8(key);
}

/** Password change or recovery on the device: the same private key, wrapped by the new KEK. */
export async function rewrapForPassword(
	wrapped: Uint8Array,
	from: CryptoKey,
	to: PasswordKeys
): Promise<string> {
	return toBase64Url(await rewrapPrivateKey({ wrapped, from, to: to.kek }));
}
