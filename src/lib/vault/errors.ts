import {
	RecordValidationError,
	type FieldErrors,
	type RecordKind
} from '../shared/records/index.ts';

export { StorageFullError } from '../db/quota-exceeded.ts';

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

// Deleting a patient takes the profile away from every member; only its owner may.
export class OwnerOnlyError extends VaultError {
	constructor(readonly profileId: string) {
		super('Only the person who shares this patient can delete them.');
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
// Another tab kept changing the same record while this one tried to save it.
export class ConcurrentWriteError extends VaultError {
	constructor(readonly recordId: string) {
		super(`Record ${recordId} kept changing while saving; try again`);
	}
}

// saveRecords adds new records only: an id that is already stored (or given twice) is refused
// before anything is written, rather than silently overwriting fields the batch never saw.
export class RecordExistsError extends VaultError {
	constructor(
		readonly recordIds: string[],
		options?: { cause?: unknown }
	) {
		super(`Record ${recordIds.join(', ')} already exists; edit it with saveRecord`, options);
	}
}

// A batch with invalid records: `invalid` lists every one by its position in the batch, so an
// import can show each row's messages. The batch was not written. Still a RecordValidationError
// (of the first invalid record), so callers that handle one record's errors handle this too.
export class RecordsValidationError extends RecordValidationError {
	constructor(
		readonly invalid: { index: number; kind: RecordKind; fieldErrors: FieldErrors }[],
		total: number
	) {
		const first = invalid[0]!;
		super(first.kind, first.fieldErrors);
		this.name = 'RecordsValidationError';
		this.message = `${invalid.length} of ${total} records have fields to fix (first: #${first.index}, ${this.message})`;
	}
}
