import { createHash, randomBytes } from 'node:crypto';

const TOKEN_BYTES = 32;
const TOKEN_TEXT = /^[A-Za-z0-9_-]{43}$/;

/** A new session token for the cookie; only its hash is stored. */
export function newSessionToken(): string {
	return randomBytes(TOKEN_BYTES).toString('base64url');
}

// SHA-256 rather than a slow hash: the token has 256 random bits, so there is nothing to guess,
// and the hash lets a copy of the sessions table open no session.
export function hashSessionToken(token: string): Buffer {
	return createHash('sha256').update(Buffer.from(token, 'base64url')).digest();
}

/** Anything else in the cookie is answered as "no session" without touching the database. */
export function isSessionToken(value: string | undefined): value is string {
	return value !== undefined && TOKEN_TEXT.test(value);
}
