// Every failure in this folder is a CryptoError, so callers can tell "the crypto said no" from
// bugs with one instanceof, and each subclass names one kind of failure the page can explain.
export class CryptoError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = new.target.name;
	}
}

// A ciphertext did not authenticate: wrong key, wrong associated data, or tampered bytes.
// Nothing decrypted is ever returned alongside it, because AES-GCM checks the tag before release.
export class DecryptionError extends CryptoError {}

// Structurally impossible input (too short, unknown format version, bad embedded point). It is a
// DecryptionError too, so "this record cannot be decrypted" covers it without a second branch.
export class CiphertextFormatError extends DecryptionError {}

// The envelope was sealed under another profile-key version: the caller holds the wrong key,
// which is actionable (fetch or unwrap that version), unlike tampering.
export class KeyVersionError extends DecryptionError {
	readonly expected: number;
	readonly actual: number;

	constructor(expected: number, actual: number) {
		super(`Sealed under key version ${actual}, but key version ${expected} was given`);
		this.expected = expected;
		this.actual = actual;
	}
}

// Key bytes or a JWK that WebCrypto or our checks refuse (wrong curve, off-curve point, wrong size).
export class KeyFormatError extends CryptoError {}

// KDF parameters that are malformed or weaker than policy. A server (or an attacker in its place)
// could otherwise talk a client into a cheap KDF and make the auth key easy to brute-force.
export class KdfParamsError extends CryptoError {
	readonly issues: readonly string[];

	constructor(message: string, issues: readonly string[] = []) {
		super(issues.length > 0 ? `${message}: ${issues.join('; ')}` : message);
		this.issues = issues;
	}
}

export type RecoveryKeyProblem =
	'empty' | 'invalid-character' | 'wrong-length' | 'checksum-mismatch';

// Typed by what the person got wrong, so the form can say "character 7 is not valid" or
// "one character is mistyped" rather than a generic failure.
export class RecoveryKeyError extends CryptoError {
	readonly problem: RecoveryKeyProblem;
	// 1-based position in the key with separators removed, when the problem has one.
	readonly position: number | undefined;

	constructor(problem: RecoveryKeyProblem, message: string, position?: number) {
		super(message);
		this.problem = problem;
		this.position = position;
	}
}

// Text that is not canonical unpadded base64url.
export class EncodingError extends CryptoError {}

// A caller passed a value outside a function's domain (empty password, HKDF output too long,
// malformed record id). Programmer or input errors, never a verdict on a ciphertext.
export class InvalidArgumentError extends CryptoError {}
