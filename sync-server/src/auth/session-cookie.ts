import type { Context } from 'hono';
import { generateCookie, getCookie, setCookie } from 'hono/cookie';

// `__Host-`: Secure, Path=/, no Domain, so no sibling subdomain can set or shadow it. Checked with
// Chromium 156 (2026-11): over http://127.0.0.1 and http://localhost the browser keeps and sends
// it, as it treats loopback as a secure context; over plain http on any other host it is dropped,
// so a server reached over a network needs TLS in front of it.
const NAME = 'charta_session';
export const SESSION_COOKIE = `__Host-${NAME}`;

export const REMEMBER_DEVICE_SECONDS = 30 * 24 * 60 * 60;

const ATTRIBUTES = { prefix: 'host', httpOnly: true, sameSite: 'Strict' } as const;

export function readSessionCookie(c: Context): string | undefined {
	return getCookie(c, NAME, 'host');
}

/** rememberDevice: persists 30 days; otherwise a browser-session cookie (no Max-Age). */
export function writeSessionCookie(c: Context, token: string, rememberDevice: boolean) {
	setCookie(c, NAME, token, {
		...ATTRIBUTES,
		...(rememberDevice ? { maxAge: REMEMBER_DEVICE_SECONDS } : {})
	});
}

/** A Set-Cookie value that makes the browser drop the session cookie. */
export function expiredSessionCookie(): string {
	return generateCookie(NAME, '', { ...ATTRIBUTES, maxAge: 0 });
}

export function clearSessionCookie(c: Context) {
	c.header('Set-Cookie', expiredSessionCookie(), { append: true });
}
