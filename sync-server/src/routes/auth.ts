import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { fromBase64Url, toBase64Url } from '../../../src/lib/crypto/base64url.ts';
import { importPublicKey } from '../../../src/lib/crypto/key-pair.ts';
import { KdfParams, type EcPublicJwk } from '../../../src/lib/shared/auth.ts';
import {
	EmailTakenError,
	findAccountByEmail,
	findAccountById,
	findOwnAccountKeys,
	insertAccount,
	replacePasswordKeys
} from '../auth/accounts.ts';
import { hashAuthKey, verifyAuthKey } from '../auth/auth-key-hash.ts';
import { clientAddress } from '../auth/client-address.ts';
import { createDecoys } from '../auth/decoys.ts';
import { createRateLimiter, type RateLimitedAction } from '../auth/rate-limit.ts';
import type { SessionCache } from '../auth/session-cache.ts';
import { clearSessionCookie, writeSessionCookie } from '../auth/session-cookie.ts';
import { requireSession } from '../auth/session-middleware.ts';
import { sessionResponse } from '../auth/session-response.ts';
import {
	createSession,
	revokeSession,
	revokeUserSessions,
	type Session
} from '../auth/sessions.ts';
import { ApiError, errorResponse } from '../errors.ts';
import { invalidRequest, invalidRequestHook } from '../invalid-request.ts';
import type { Queryable, Store } from '../store/store.ts';
import { asService, asUser } from '../store/transaction-as.ts';
import * as routes from './auth-routes.ts';

export interface AuthRoutesOptions {
	store: Store;
	/** Keys the decoys and the rate-limit bucket names (AUTH_SECRET, or charta.server_secrets). */
	secret: Uint8Array;
	/** TRUSTED_PROXY_HOPS: how many proxies in front of us append to X-Forwarded-For. */
	trustedProxyHops: number;
	/** Told about every session ended here once its transaction committed, before we answer. */
	sessions: SessionCache;
}

// One answer for a wrong password and for an email with no account, so it reveals neither.
const wrongCredentials = () =>
	new ApiError(401, 'invalid_credentials', 'Email or password is incorrect.');

// The session was live a moment ago but its account is gone (deleted in between).
const accountGone = () =>
	new ApiError(401, 'unauthenticated', 'You are not signed in. Please sign in.');

// Auth bodies are a few kilobytes at most; nobody signed in yet gets to make us buffer more.
const MAX_BODY_BYTES = 16 * 1024;

async function assertPublicKey(jwk: EcPublicJwk) {
	try {
		await importPublicKey(jwk);
	} catch {
		throw invalidRequest([{ path: ['publicKey'], message: 'must be a point on the P-256 curve' }]);
	}
}

/** /v1/auth/*: built-in accounts and server-side sessions. */
export function authRoutes({ store, secret, trustedProxyHops, sessions }: AuthRoutesOptions) {
	const limiter = createRateLimiter({ store, secret });
	const decoys = createDecoys(secret);

	const attempt = (c: Context, action: RateLimitedAction, account: string) =>
		limiter.attempt(action, { account, ip: clientAddress(c, trustedProxyHops) });

	// A session cookie this browser already holds is about to be replaced: end its session too,
	// rather than leave a live token nobody can use or revoke. The caller sets the new cookie
	// once the transaction has committed, so a failure never hands out a dead token.
	const startSession = async (
		c: Context,
		tx: Queryable,
		userId: string,
		rememberDevice: boolean
	) => {
		const previous = c.get('session');
		if (previous) await revokeSession(tx, previous.id);
		return createSession(tx, { userId, rememberDevice });
	};
	// Committed by now: the replaced session leaves this process's cache as the cookie changes.
	const setCookie = (c: Context, { token, session }: { token: string; session: Session }) => {
		const previous = c.get('session');
		if (previous) sessions.forget({ sessionId: previous.id });
		writeSessionCookie(c, token, session.rememberDevice);
	};

	const app = new OpenAPIHono({ defaultHook: invalidRequestHook });
	app.use(
		'/auth/*',
		bodyLimit({
			maxSize: MAX_BODY_BYTES,
			onError: (c) =>
				errorResponse(
					c,
					new ApiError(
						413,
						'payload_too_large',
						'The request body is larger than this route accepts.'
					)
				)
		})
	);

	return app
		.openapi(routes.signup, async (c) => {
			const body = c.req.valid('json');
			await attempt(c, 'signup', body.email);
			await assertPublicKey(body.publicKey);
			const [authKeyHash, recoveryAuthHash] = await Promise.all([
				hashAuthKey(body.authKey),
				hashAuthKey(body.recoveryAuthKey)
			]);
			const { account, started } = await asService(store, async (tx) => {
				const account = await insertAccount(tx, {
					email: body.email,
					authKeyHash,
					recoveryAuthHash,
					kdf: body.kdf,
					publicKey: body.publicKey,
					privateKeyWrappedByKek: fromBase64Url(body.privateKeyWrappedByKek),
					privateKeyWrappedByRecovery: fromBase64Url(body.privateKeyWrappedByRecovery)
				});
				return { account, started: await startSession(c, tx, account.id, body.rememberDevice) };
			}).catch((error: unknown) => {
				if (error instanceof EmailTakenError) {
					throw new ApiError(
						409,
						'email_taken',
						'An account with this email already exists. Sign in, or recover the account with its recovery key.'
					);
				}
				throw error;
			});
			setCookie(c, started);
			return c.json(sessionResponse(account, started.session), 201);
		})

		.openapi(routes.prelogin, async (c) => {
			const { email } = c.req.valid('json');
			await attempt(c, 'prelogin', email);
			// Computed for every email, so a known one takes no less time than an unknown one.
			const decoy = decoys.kdf(email);
			const account = await asService(store, (tx) => findAccountByEmail(tx, email));
			return c.json({ kdf: account ? KdfParams.parse(account.kdf) : decoy }, 200);
		})

		.openapi(routes.login, async (c) => {
			const body = c.req.valid('json');
			const counted = await attempt(c, 'login', body.email);
			const account = await asService(store, (tx) => findAccountByEmail(tx, body.email));
			// An unknown email pays for one Argon2id verify too (against a dummy), like a wrong password.
			const verified = await verifyAuthKey(account?.authKeyHash, body.authKey);
			if (!account || !verified) throw wrongCredentials();
			await counted.succeeded();
			const started = await asService(store, (tx) =>
				startSession(c, tx, account.id, body.rememberDevice)
			);
			setCookie(c, started);
			return c.json(sessionResponse(account, started.session), 200);
		})

		.openapi(routes.logout, async (c) => {
			const session = c.get('session');
			if (session) {
				await asService(store, (tx) => revokeSession(tx, session.id));
				sessions.forget({ sessionId: session.id });
			}
			clearSessionCookie(c);
			return c.body(null, 204);
		})

		.openapi(routes.session, async (c) => {
			const session = requireSession(c);
			// As the user, under RLS: this read is exactly what `authenticated` is granted.
			const account = await asUser(store, session.userId, (tx) =>
				findOwnAccountKeys(tx, session.userId)
			);
			if (!account) throw accountGone();
			return c.json(sessionResponse(account, session), 200);
		})

		.openapi(routes.password, async (c) => {
			const session = requireSession(c);
			const body = c.req.valid('json');
			const counted = await attempt(c, 'password', session.userId);
			const account = await asService(store, (tx) => findAccountById(tx, session.userId));
			if (!account) throw accountGone();
			if (!(await verifyAuthKey(account.authKeyHash, body.currentAuthKey))) {
				// 403, not 401: the session is fine, and a client may treat 401 as "signed out".
				throw new ApiError(403, 'invalid_credentials', 'Your current password is incorrect.');
			}
			await counted.succeeded();
			const authKeyHash = await hashAuthKey(body.newAuthKey);
			const updated = await asService(store, async (tx) => {
				const updated = await replacePasswordKeys(tx, account.id, {
					authKeyHash,
					kdf: body.kdf,
					privateKeyWrappedByKek: fromBase64Url(body.privateKeyWrappedByKek)
				});
				await revokeUserSessions(tx, account.id, { keep: session.id });
				return updated;
			});
			sessions.forget({ userId: account.id, keep: session.id });
			return c.json(sessionResponse(updated, session), 200);
		})

		.openapi(routes.recoveryStart, async (c) => {
			const { email } = c.req.valid('json');
			await attempt(c, 'recovery-start', email);
			const decoy = decoys.wrappedPrivateKey(email);
			const account = await asService(store, (tx) => findAccountByEmail(tx, email));
			return c.json(
				{ privateKeyWrappedByRecovery: toBase64Url(account?.privateKeyWrappedByRecovery ?? decoy) },
				200
			);
		})

		.openapi(routes.recoveryComplete, async (c) => {
			const body = c.req.valid('json');
			const counted = await attempt(c, 'recovery-complete', body.email);
			const account = await asService(store, (tx) => findAccountByEmail(tx, body.email));
			const proven = await verifyAuthKey(account?.recoveryAuthHash, body.recoveryAuthKey);
			if (!account || !proven) {
				throw new ApiError(401, 'invalid_credentials', 'Email or recovery key is incorrect.');
			}
			await counted.succeeded();
			const authKeyHash = await hashAuthKey(body.newAuthKey);
			const { updated, started } = await asService(store, async (tx) => {
				const updated = await replacePasswordKeys(tx, account.id, {
					authKeyHash,
					kdf: body.kdf,
					privateKeyWrappedByKek: fromBase64Url(body.privateKeyWrappedByKek)
				});
				// Whoever knew the old password is signed out everywhere.
				await revokeUserSessions(tx, account.id);
				return { updated, started: await startSession(c, tx, account.id, body.rememberDevice) };
			});
			sessions.forget({ userId: account.id, keep: started.session.id });
			setCookie(c, started);
			return c.json(sessionResponse(updated, started.session), 200);
		});
}
