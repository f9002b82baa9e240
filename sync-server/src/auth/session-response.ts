import { toBase64Url } from '../../../src/lib/crypto/base64url.ts';
import { EcPublicJwk, KdfParams, type SessionResponse } from '../../../src/lib/shared/auth.ts';
import type { Account } from './accounts.ts';
import type { Session } from './sessions.ts';

export type AccountKeysRow = Pick<
	Account,
	'id' | 'email' | 'kdf' | 'publicKey' | 'privateKeyWrappedByKek'
>;

/** The answer to signup, login, recovery and GET /v1/auth/session. */
export function sessionResponse(account: AccountKeysRow, session: Session): SessionResponse {
	return {
		user: { id: account.id, email: account.email },
		session: {
			expiresAt: session.expiresAt.toISOString(),
			rememberDevice: session.rememberDevice
		},
		keys: {
			// Parsed rather than passed through: jsonb reorders keys, and a stored value the schema
			// no longer accepts should fail here, not in the client.
			kdf: KdfParams.parse(account.kdf),
			publicKey: EcPublicJwk.parse(account.publicKey),
			privateKeyWrappedByKek: toBase64Url(account.privateKeyWrappedByKek)
		}
	};
}
