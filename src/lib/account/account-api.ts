import { requestJson, type JsonClientOptions } from '../http/request-json.ts';
import {
	PreloginResponse,
	RecoveryStartResponse,
	SessionResponse,
	type LoginRequest,
	type PasswordChangeRequest,
	type RecoveryCompleteRequest,
	type SignupRequest
} from '../shared/auth.ts';

/** The /v1/auth routes, typed by the shared contract (src/lib/shared/auth.ts). */
export function createAccountApi(options: JsonClientOptions = {}) {
	return {
		signup: (body: SignupRequest) =>
			requestJson(options, 'POST', '/v1/auth/signup', SessionResponse, body),
		prelogin: (email: string) =>
			requestJson(options, 'POST', '/v1/auth/prelogin', PreloginResponse, { email }),
		login: (body: LoginRequest) =>
			requestJson(options, 'POST', '/v1/auth/login', SessionResponse, body),
		logout: () => requestJson(options, 'POST', '/v1/auth/logout', null),
		session: () => requestJson(options, 'GET', '/v1/auth/session', SessionResponse),
		changePassword: (body: PasswordChangeRequest) =>
			requestJson(options, 'POST', '/v1/auth/password', SessionResponse, body),
		recoveryStart: (email: string) =>
			requestJson(options, 'POST', '/v1/auth/recovery/start', RecoveryStartResponse, { email }),
		recoveryComplete: (body: RecoveryCompleteRequest) =>
			requestJson(options, 'POST', '/v1/auth/recovery/complete', SessionResponse, body)
	};
}

export type AccountApi = ReturnType<typeof createAccountApi>;
