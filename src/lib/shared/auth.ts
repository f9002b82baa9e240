import { z } from 'zod';
import { fromBase64Url } from '../crypto/base64url.ts';
import { KdfParams } from '../crypto/kdf-params.ts';
import { EcPublicJwk } from '../crypto/key-pair.ts';

// The account API's wire shapes (/v1/auth/*), shared by the page and the server.
// Binary values travel as base64url without padding.

export { KdfParams, EcPublicJwk };

// The length checks alone let through strings no decoder accepts (length ≡ 1 mod 4, stray low
// bits in the last character); decoding here turns those into field errors too, so a value that
// passes this schema always decodes, to exactly one byte string.
const decodes = (text: string) => {
	try {
		fromBase64Url(text);
		return true;
	} catch {
		return false;
	}
};

const base64url = (min: number, max: number) =>
	z
		.string()
		.regex(/^[A-Za-z0-9_-]*$/, 'must be base64url without padding')
		.min(Math.ceil((min * 4) / 3), `must encode at least ${min} bytes`)
		.max(Math.ceil((max * 4) / 3), `must encode at most ${max} bytes`)
		.refine(decodes, 'must be canonical base64url (RFC 4648 §5, no padding)');

export const Email = z
	.string()
	.trim()
	.toLowerCase()
	.max(254, 'must be at most 254 characters')
	.pipe(z.email('must be an email address'));

/** HKDF output the server verifies (Argon2id on the server); never the password. */
export const AuthKey = base64url(32, 32);
/** A private key wrapped with AES-GCM (by the KEK or by the recovery key). */
export const WrappedPrivateKey = base64url(64, 1024);

export const SignupRequest = z.object({
	email: Email,
	authKey: AuthKey,
	kdf: KdfParams,
	publicKey: EcPublicJwk,
	privateKeyWrappedByKek: WrappedPrivateKey,
	privateKeyWrappedByRecovery: WrappedPrivateKey,
	/** deriveRecoveryAuthKey(recovery secret): HKDF, verified like authKey at recovery. */
	recoveryAuthKey: AuthKey,
	rememberDevice: z.boolean().default(false)
});
export type SignupRequest = z.input<typeof SignupRequest>;

export const PreloginRequest = z.object({ email: Email });
export type PreloginRequest = z.input<typeof PreloginRequest>;
/** Same shape for every email, known or not: a deterministic decoy for unknown ones. */
export const PreloginResponse = z.object({ kdf: KdfParams });
export type PreloginResponse = z.infer<typeof PreloginResponse>;

export const LoginRequest = z.object({
	email: Email,
	authKey: AuthKey,
	rememberDevice: z.boolean().default(false)
});
export type LoginRequest = z.input<typeof LoginRequest>;

export const User = z.object({ id: z.uuid(), email: z.string() });
export type User = z.infer<typeof User>;

export const SessionInfo = z.object({
	expiresAt: z.iso.datetime({ offset: true }),
	rememberDevice: z.boolean()
});
export type SessionInfo = z.infer<typeof SessionInfo>;

/** What a device needs to unlock offline later: the user's key material, all of it wrapped. */
export const AccountKeys = z.object({
	kdf: KdfParams,
	publicKey: EcPublicJwk,
	privateKeyWrappedByKek: WrappedPrivateKey
});
export type AccountKeys = z.infer<typeof AccountKeys>;

/** Answer to signup, login, recovery and GET /v1/auth/session. */
export const SessionResponse = z.object({
	user: User,
	session: SessionInfo,
	keys: AccountKeys
});
export type SessionResponse = z.infer<typeof SessionResponse>;

export const PasswordChangeRequest = z.object({
	currentAuthKey: AuthKey,
	newAuthKey: AuthKey,
	kdf: KdfParams,
	privateKeyWrappedByKek: WrappedPrivateKey
});
export type PasswordChangeRequest = z.input<typeof PasswordChangeRequest>;

/** Step 1 of recovery: what the recovery key opens. Decoy for unknown emails, like prelogin. */
export const RecoveryStartRequest = z.object({ email: Email });
export type RecoveryStartRequest = z.input<typeof RecoveryStartRequest>;
export const RecoveryStartResponse = z.object({ privateKeyWrappedByRecovery: WrappedPrivateKey });
export type RecoveryStartResponse = z.infer<typeof RecoveryStartResponse>;

/** Step 2: prove the recovery key, set a new password; the private key (and all data) stays. */
export const RecoveryCompleteRequest = z.object({
	email: Email,
	recoveryAuthKey: AuthKey,
	newAuthKey: AuthKey,
	kdf: KdfParams,
	privateKeyWrappedByKek: WrappedPrivateKey,
	rememberDevice: z.boolean().default(false)
});
export type RecoveryCompleteRequest = z.input<typeof RecoveryCompleteRequest>;
