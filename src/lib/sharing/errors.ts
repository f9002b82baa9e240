import { VaultError } from '../vault/errors.ts';

export type ReadOnlyReason = 'viewer' | 'revoked';

// The vault refuses a write this user may not make: the server would refuse it anyway, and a
// change it can never accept would sit in the outbox forever. The page shows the message.
export class ReadOnlyProfileError extends VaultError {
	constructor(
		readonly profileId: string,
		readonly reason: ReadOnlyReason
	) {
		super(
			reason === 'viewer'
				? 'You can view this patient’s records but not change them.'
				: 'You no longer have access to this patient.'
		);
	}
}

// The person asked to share with or remove someone who cannot be: themselves, or a member the
// profile does not have.
export class SharingError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SharingError';
	}
}

// POST /v1/users/lookup answered 404: nobody has an account with this email.
export class UnknownAccountError extends SharingError {
	constructor(readonly email: string) {
		super('No Charta account uses this email.');
		this.name = 'UnknownAccountError';
	}
}

// The server answered with a public key for someone other than the one this device used before
// (src/lib/sharing/key-pins.ts): nothing was shared.
export class KeyChangedError extends SharingError {
	constructor(readonly email?: string) {
		super(
			`The Charta server gave a different key for ${email ?? 'this person'} than before, so nothing was shared. Compare safety codes with them (Settings) before trying again, and tell whoever runs your Charta server.`
		);
		this.name = 'KeyChangedError';
	}
}
