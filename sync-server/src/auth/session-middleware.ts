import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import { asService } from '../store/transaction-as.ts';
import type { SessionCache } from './session-cache.ts';
import { expiredSessionCookie, readSessionCookie } from './session-cookie.ts';
import { hashSessionToken, isSessionToken } from './session-token.ts';
import { findSession, type Session } from './sessions.ts';

declare module 'hono' {
	interface ContextVariableMap {
		/** The caller's live session, if the request carried one. */
		session?: Session;
		/** A session cookie came with the request but opens no live session. */
		staleSessionCookie?: boolean;
	}
}

/**
 * Reads the session cookie on every /v1 request and, when it names a live session, sets
 * c.get('session') (sliding its idle expiry). Routes that need a caller use requireSession(c).
 * The lookup runs as service_role: until it succeeds there is no user to run as. Sessions
 * looked up moments ago come from `cache` (session-cache.ts says how an ended one leaves it).
 */
export function loadSession({
	store,
	cache
}: {
	store: Store;
	cache: SessionCache;
}): MiddlewareHandler {
	return async (c, next) => {
		const token = readSessionCookie(c);
		if (token !== undefined) {
			const session = isSessionToken(token)
				? await cache.find(hashSessionToken(token).toString('base64'), () =>
						asService(store, (tx) => findSession(tx, token))
					)
				: undefined;
			if (session) c.set('session', session);
			else c.set('staleSessionCookie', true);
		}
		await next();
	};
}

/** The caller's session, or 401 unauthenticated (dropping a cookie that no longer works). */
export function requireSession(c: Context): Session {
	const session = c.get('session');
	if (session) return session;
	throw new ApiError(
		401,
		'unauthenticated',
		'You are not signed in, or your session has ended. Please sign in.',
		undefined,
		c.get('staleSessionCookie') ? { 'Set-Cookie': expiredSessionCookie() } : undefined
	);
}

/**
 * requireSession before anything else runs: a caller without a session gets 401, not a 400 for
 * their query, and no body of theirs is read.
 */
export const sessionRequired: MiddlewareHandler = async (c, next) => {
	requireSession(c);
	await next();
};
