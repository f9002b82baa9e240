// One class per failure the page explains differently. RecordValidationError (per-field
// messages) comes from src/lib/shared/records and is re-exported from index.ts.
export class VaultError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = new.target.name;
	}
}

// The vault was closed (lock, logout): its keys are gone until the person unlocks again.
export class VaultLockedError extends VaultError {
	constructor() {
		super('The vault is locked');
	}
}

export class ProfileNotFoundError extends VaultError {
	constructor(readonly profileId: string) {
		super(`No profile ${profileId} on this device`);
	}
}

export class RecordNotFoundError extends VaultError {
	constructor(readonly recordId: string) {
		super(`No record ${recordId} on this device`);
	}
}

// Lists show a placeholder instead; writes refuse, because stamping changes onto a record we
// cannot read would throw away the fields we could not see.
export class UndecryptableRecordError extends VaultError {
	constructor(
		readonly recordId: string,
		options?: { cause?: unknown }
	) {
		super(`Record ${recordId} cannot be decrypted`, options);
	}
}

// The device is out of storage. The transaction rolled back: nothing of this change was kept,
// and everything saved before it is intact.
export class StorageFullError extends VaultError {
	constructor(options?: { cause?: unknown }) {
		super('This device is out of storage space; the change was not saved', options);
	}
}

// Another tab kept changing the same record while this one tried to save it.
export class ConcurrentWriteError extends VaultError {
	constructor(readonly recordId: string) {
		super(`Record ${recordId} kept changing while saving; try again`);
	}
}
