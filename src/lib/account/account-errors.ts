/** The master password does not open this device's keys (checked offline). */
export class WrongPasswordError extends Error {
	constructor() {
		super('That password does not unlock Charta on this device. Check it and try again.');
		this.name = 'WrongPasswordError';
	}
}

/** The recovery key does not open the account's keys (or there is no such account). */
export class RecoveryKeyMismatchError extends Error {
	constructor() {
		super(
			'This recovery key does not match that email address. Check both and try again — each group of the key must be typed exactly.'
		);
		this.name = 'RecoveryKeyMismatchError';
	}
}

/** Nothing on this device to unlock: the person must sign in online first. */
export class NoDeviceAccountError extends Error {
	constructor() {
		super('Charta has not been set up on this device yet. Sign in while online once.');
		this.name = 'NoDeviceAccountError';
	}
}
