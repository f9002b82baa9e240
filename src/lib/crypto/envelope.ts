import { aesGcmDecrypt, aesGcmEncrypt, GCM_IV_BYTES, GCM_TAG_BYTES } from './aes-gcm.ts';
import { readUint32BE, takeRandomBytes } from './bytes.ts';
import { encodeFields, encodeFieldsAfter } from './canonical-fields.ts';
import { CiphertextFormatError, KeyVersionError } from './errors.ts';
import { assertId, assertKeyVersion } from './assert-args.ts';
import type { ProfileKey } from './profile-key.ts';

// Wire format (DESIGN.md "Security model"):
//   version(1) | keyVersion(4, big-endian) | IV(12, random) | AES-256-GCM ciphertext + tag(16)
// Binary in IndexedDB, base64url on the wire.
export const ENVELOPE_VERSION = 1;
const HEADER_BYTES = 1 + 4;
export const ENVELOPE_OVERHEAD = HEADER_BYTES + GCM_IV_BYTES + GCM_TAG_BYTES;

// What a ciphertext belongs to. It is authenticated, not stored: a ciphertext copied onto another
// record, profile or kind fails to open.
export interface EnvelopeBinding {
	profileId: string;
	entityId: string;
	kind: string;
}

// The constant part of every envelope's associated data, encoded once.
const ENVELOPE_LABEL = encodeFields(['charta', 'v1', 'envelope']);

// The header is authenticated too, so neither the format version nor the key version can be
// rewritten without failing the tag. The bytes equal encodeFields of all six fields after the
// header, because encodeFields is the concatenation of its fields' encodings.
function associatedData(header: Uint8Array, { profileId, entityId, kind }: EnvelopeBinding) {
	assertId('profileId', profileId);
	assertId('entityId', entityId);
	assertId('kind', kind);
	const prefix = new Uint8Array(header.length + ENVELOPE_LABEL.length);
	prefix.set(header);
	prefix.set(ENVELOPE_LABEL, header.length);
	return encodeFieldsAfter(prefix, [profileId, entityId, kind]);
}

export async function sealEnvelope({
	profileKey,
	binding,
	plaintext
}: {
	profileKey: ProfileKey;
	binding: EnvelopeBinding;
	plaintext: Uint8Array;
}): Promise<Uint8Array<ArrayBuffer>> {
	assertKeyVersion(profileKey.version);
	// Header and IV built in place: an import seals thousands of envelopes, and the small
	// allocations and per-envelope random draws were a fifth of sealing (bench/store, 2026-11).
	const head = new Uint8Array(HEADER_BYTES + GCM_IV_BYTES);
	head[0] = ENVELOPE_VERSION;
	new DataView(head.buffer).setUint32(1, profileKey.version, false);
	// Random 96-bit IVs stay safe up to about 2^32 envelopes per key (NIST SP 800-38D §8.3);
	// key rotation on revocation keeps real keys far below that.
	takeRandomBytes(head.subarray(HEADER_BYTES));
	const ciphertext = await aesGcmEncrypt({
		key: profileKey.key,
		iv: head.subarray(HEADER_BYTES),
		plaintext,
		additionalData: associatedData(head.subarray(0, HEADER_BYTES), binding)
	});
	const envelope = new Uint8Array(head.length + ciphertext.length);
	envelope.set(head);
	envelope.set(ciphertext, head.length);
	return envelope;
}

// Lets a caller pick the right profile-key version before opening.
export function readEnvelopeKeyVersion(envelope: Uint8Array): number {
	if (envelope.length < ENVELOPE_OVERHEAD) {
		throw new CiphertextFormatError(
			`Envelope is ${envelope.length} bytes, below the minimum ${ENVELOPE_OVERHEAD}`
		);
	}
	if (envelope[0] !== ENVELOPE_VERSION) {
		throw new CiphertextFormatError(`Unsupported envelope version ${envelope[0]}`);
	}
	return readUint32BE(envelope, 1);
}

export async function openEnvelope({
	profileKey,
	binding,
	envelope
}: {
	profileKey: ProfileKey;
	binding: EnvelopeBinding;
	envelope: Uint8Array;
}): Promise<Uint8Array<ArrayBuffer>> {
	const keyVersion = readEnvelopeKeyVersion(envelope);
	if (keyVersion !== profileKey.version) {
		throw new KeyVersionError(profileKey.version, keyVersion);
	}
	return aesGcmDecrypt({
		key: profileKey.key,
		iv: envelope.subarray(HEADER_BYTES, HEADER_BYTES + GCM_IV_BYTES),
		ciphertext: envelope.subarray(HEADER_BYTES + GCM_IV_BYTES),
		additionalData: associatedData(envelope.subarray(0, HEADER_BYTES), binding)
	});
}
