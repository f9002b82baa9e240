import { createRoute } from '@hono/zod-openapi';
import { ApiErrorBody } from '../../../src/lib/shared/api-error.ts';
import {
	LoginRequest,
	PasswordChangeRequest,
	PreloginRequest,
	PreloginResponse,
	RecoveryCompleteRequest,
	RecoveryStartRequest,
	RecoveryStartResponse,
	SessionResponse,
	SignupRequest
} from '../../../src/lib/shared/auth.ts';

// The OpenAPI description of /v1/auth/*; the handlers are in auth.ts.

const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const body = <T>(schema: T) => ({ body: { ...json(schema), required: true } });
const error = (description: string) => ({ description, ...json(ApiErrorBody) });

const invalid = error('invalid_request: the body does not match (details.issues lists the fields)');
const limited = error('rate_limited: too many attempts; Retry-After says when to try again');
const tooLarge = error('payload_too_large: the body is over 16 KiB');
const signedIn = (description: string) => ({
	description: `${description}; sets the __Host-charta_session cookie`,
	...json(SessionResponse)
});

export const signup = createRoute({
	method: 'post',
	path: '/auth/signup',
	summary: 'Create an account and sign in',
	request: body(SignupRequest),
	responses: {
		201: signedIn('Account created, signed in'),
		400: invalid,
		413: tooLarge,
		409: error('email_taken: an account with this email exists'),
		429: limited
	}
});

export const prelogin = createRoute({
	method: 'post',
	path: '/auth/prelogin',
	summary: "The KDF parameters for an email's password (a stable decoy for unknown emails)",
	request: body(PreloginRequest),
	responses: {
		200: { description: 'KDF parameters', ...json(PreloginResponse) },
		400: invalid,
		413: tooLarge,
		429: limited
	}
});

export const login = createRoute({
	method: 'post',
	path: '/auth/login',
	summary: 'Sign in with the auth key derived from the password',
	request: body(LoginRequest),
	responses: {
		200: signedIn('Signed in'),
		400: invalid,
		413: tooLarge,
		401: error('invalid_credentials: wrong email or password (the same answer for both)'),
		429: limited
	}
});

export const logout = createRoute({
	method: 'post',
	path: '/auth/logout',
	summary: 'End this session on the server and drop the cookie',
	responses: { 204: { description: 'Signed out (also when there was no session)' } }
});

export const session = createRoute({
	method: 'get',
	path: '/auth/session',
	summary: 'The signed-in user, the session and the wrapped account keys',
	responses: {
		200: { description: 'Signed in', ...json(SessionResponse) },
		401: error('unauthenticated: no session, or it was revoked or has expired')
	}
});

export const password = createRoute({
	method: 'post',
	path: '/auth/password',
	summary:
		"Change the password: new verifier and KDF salt, the private key re-wrapped; ends the user's other sessions",
	request: body(PasswordChangeRequest),
	responses: {
		200: { description: 'Changed; this session stays', ...json(SessionResponse) },
		400: invalid,
		413: tooLarge,
		401: error('unauthenticated: no live session'),
		403: error('invalid_credentials: the current password is wrong'),
		429: limited
	}
});

export const recoveryStart = createRoute({
	method: 'post',
	path: '/auth/recovery/start',
	summary: 'The private key wrapped by the recovery key (a stable decoy for unknown emails)',
	request: body(RecoveryStartRequest),
	responses: {
		200: { description: 'Wrapped private key', ...json(RecoveryStartResponse) },
		400: invalid,
		413: tooLarge,
		429: limited
	}
});

export const recoveryComplete = createRoute({
	method: 'post',
	path: '/auth/recovery/complete',
	summary: 'Prove the recovery key and set a new password; ends every session and starts a new one',
	request: body(RecoveryCompleteRequest),
	responses: {
		200: signedIn('Password replaced, signed in'),
		400: invalid,
		413: tooLarge,
		401: error('invalid_credentials: wrong email or recovery key (the same answer for both)'),
		429: limited
	}
});
