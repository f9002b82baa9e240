import { randomBytes } from './bytes.ts';
import { AUTH_KEY_BYTES } from './hkdf-split.ts';
import { encodeFields } from './canonical-fields.ts';
import { InvalidArgumentError, RecoveryKeyError } from './errors.ts';
import { getSubtle, type CryptoKey } from './webcrypto.ts';

// 160 random bits: far beyond brute force, so unlike a password the recovery key needs no slow KDF.
export const RECOVERY_SECRET_BYTES = 20;
const DATA_SYMBOLS = (RECOVERY_SECRET_BYTES * 8) / 5;
const CHECK_SYMBOLS = 3;
export const RECOVERY_KEY_SYMBOLS = DATA_SYMBOLS + CHECK_SYMBOLS;
const GROUP_SIZE = 5;

// Crockford base32: no I, L, O or U, so nothing reads as another symbol; on input I and L mean 1
// and O means 0, as Crockford's spec says, since those are the slips people make.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const VALUES = new Map<string, number>([
	...[...ALPHABET].map((char, index): [string, number] => [char, index]),
	['O', 0],
	['I', 1],
	['L', 1]
]);

// Check symbols are chosen so that the whole key, read as a base-32 number N, has N mod P = 0
// (the IBAN construction, ISO 7064). P = 32,749 is the largest prime below 32^3. A typo in one
// symbol changes N by d·32^i and swapping neighbours by 31·(a−b)·32^i; with |d|, |a−b| < 32 and P
// a prime above 32 that divides neither factor, N mod P moves off 0: every single-symbol typo and
// every adjacent transposition is caught, check symbols included.
const P = 32_749n;
const CHECK_RANGE = 32n ** BigInt(CHECK_SYMBOLS);

function toBigInt(bytes: Uint8Array): bigint {
	return bytes.reduce((n, byte) => (n << 8n) | BigInt(byte), 0n);
}

function toSymbols(value: bigint, count: number): string {
	let out = '';
	for (let i = count - 1; i >= 0; i--) out += ALPHABET[Number((value >> BigInt(5 * i)) & 31n)];
	return out;
}

export function formatRecoveryKey(secret: Uint8Array): string {
	if (secret.length !== RECOVERY_SECRET_BYTES) {
		throw new InvalidArgumentError(`Recovery secret must be ${RECOVERY_SECRET_BYTES} bytes`);
	}
	const data = toBigInt(secret);
	const check = (P - ((data * CHECK_RANGE) % P)) % P;
	const symbols = toSymbols(data, DATA_SYMBOLS) + toSymbols(check, CHECK_SYMBOLS);
	const groups: string[] = [];
	for (let i = 0; i < symbols.length; i += GROUP_SIZE)
		groups.push(symbols.slice(i, i + GROUP_SIZE));
	return groups.join('-');
}

export function generateRecoveryKey(): { text: string; secret: Uint8Array<ArrayBuffer> } {
	const secret = randomBytes(RECOVERY_SECRET_BYTES);
	return { text: formatRecoveryKey(secret), secret };
}

function describePosition(position: number): string {
	const group = Math.ceil(position / GROUP_SIZE);
	return `character ${((position - 1) % GROUP_SIZE) + 1} of group ${group}`;
}

// Tolerates case, spaces, line breaks and any kind of dash, because people copy these keys from
// paper, PDFs and password managers. Errors never echo the key, only what is wrong with it.
export function parseRecoveryKey(text: string): Uint8Array<ArrayBuffer> {
	const compact = text.toUpperCase().replace(/[\s\-\u2010-\u2015\u2212]/g, '');
	if (compact.length === 0) {
		throw new RecoveryKeyError('empty', 'Enter your recovery key');
	}
	const symbols: number[] = [];
	for (let i = 0; i < compact.length; i++) {
		const char = compact.charAt(i);
		const symbol = VALUES.get(char);
		if (symbol === undefined) {
			throw new RecoveryKeyError(
				'invalid-character',
				`"${char}" (${describePosition(i + 1)}) is not used in recovery keys`,
				i + 1
			);
		}
		symbols.push(symbol);
	}
	if (compact.length !== RECOVERY_KEY_SYMBOLS) {
		throw new RecoveryKeyError(
			'wrong-length',
			`A recovery key has ${RECOVERY_KEY_SYMBOLS} characters; this one has ${compact.length}`
		);
	}
	const value = symbols.reduce((n, symbol) => (n << 5n) | BigInt(symbol), 0n);
	// The check value must also be in range, so each secret has exactly one valid spelling.
	if (value % P !== 0n || value % CHECK_RANGE >= P) {
		throw new RecoveryKeyError(
			'checksum-mismatch',
			'This recovery key has a typo: compare each group with your saved copy'
		);
	}
	const data = value / CHECK_RANGE;
	const secret = new Uint8Array(RECOVERY_SECRET_BYTES);
	for (let i = 0; i < RECOVERY_SECRET_BYTES; i++) {
		secret[i] = Number((data >> BigInt(8 * (RECOVERY_SECRET_BYTES - 1 - i))) & 0xffn);
	}
	return secret;
}

const WRAPPING_KEY_INFO = encodeFields(['charta', 'v1', 'recovery-wrapping-key']);

// The key that wraps the user's private key a second time. The secret is already uniformly
// random, so one HKDF step suffices (RFC 5869 §3.3).
export async function deriveRecoveryWrappingKey(secret: Uint8Array): Promise<CryptoKey> {
	if (secret.length !== RECOVERY_SECRET_BYTES) {
		throw new InvalidArgumentError(`Recovery secret must be ${RECOVERY_SECRET_BYTES} bytes`);
	}
	const subtle = getSubtle();
	const base = await subtle.importKey('raw', new Uint8Array(secret), 'HKDF', false, ['deriveKey']);
	return subtle.deriveKey(
		{ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: WRAPPING_KEY_INFO },
		base,
		{ name: 'AES-GCM', length: 256 },
		false,
		['wrapKey', 'unwrapKey']
	);
}

const AUTH_KEY_INFO = encodeFields(['charta', 'v1', 'recovery-auth-key']);

// What recovery proves to the server: the server stores only Argon2id of this, and its own label
// keeps it independent of the wrapping key, so the server learns nothing that opens the private key.
export async function deriveRecoveryAuthKey(secret: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
	if (secret.length !== RECOVERY_SECRET_BYTES) {
		throw new InvalidArgumentError(`Recovery secret must be ${RECOVERY_SECRET_BYTES} bytes`);
	}
	const subtle = getSubtle();
	const base = await subtle.importKey('raw', new Uint8Array(secret), 'HKDF', false, ['deriveBits']);
	return new Uint8Array(
		await subtle.deriveBits(
			{ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: AUTH_KEY_INFO },
			base,
			AUTH_KEY_BYTES * 8
		)
	);
}
