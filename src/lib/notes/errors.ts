// Every refusal of a note payload is a NoteUpdateRefusedError, so the sync layer can skip it with
// one instanceof and count it; each subclass names one cause. A refused payload changes nothing:
// neither the open document nor the stored note.
export class NoteUpdateRefusedError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = new.target.name;
	}
}

// The envelope does not authenticate under the profile key for this note and kind: damaged
// bytes, or a ciphertext moved from another note, profile or kind.
export class NoteUpdateUndecryptableError extends NoteUpdateRefusedError {}

// It authenticates, so a member sealed it, but it is not a note payload this version reads, or
// the Yjs update inside does not decode.
export class NoteUpdateMalformedError extends NoteUpdateRefusedError {}

// The payload id sealed inside was applied here before: the same payload delivered again.
export class NoteUpdateReplayedError extends NoteUpdateRefusedError {
	readonly payloadId: string;

	constructor(payloadId: string) {
		super(`Note payload ${payloadId} was applied before`);
		this.payloadId = payloadId;
	}
}

// Not a refusal: the envelope names a profile-key version this device does not hold (a rotation
// not followed yet, or offline). The payload is kept sealed and opened once the key is here.
export class NoteKeyUnavailableError extends Error {
	readonly keyVersion: number;

	constructor(keyVersion: number, options?: { cause?: unknown }) {
		super(`Profile key version ${keyVersion} is not available`, options);
		this.name = new.target.name;
		this.keyVersion = keyVersion;
	}
}
