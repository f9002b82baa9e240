// A PROPOSAL, measured here and not used by the app: src/lib/crypto's envelope with its
// associated data built in one buffer. Today associatedData() calls TextEncoder and
// writeUint32BE (a DataView each) for all six fields and concatenates the pieces, which costs
// 230–400 ms per 10,000 envelopes in Chromium (bench/store, 2026-11) — more than the AES-GCM
// itself. The constant prefix is encoded once here, and ASCII ids (every id the vault writes) are
// copied byte by byte. The bytes are identical, so envelopes sealed either way open either way;
// checkProposedEnvelope() proves that in the page before anything is measured with it.
import { aesGcmDecrypt, aesGcmEncrypt, GCM_IV_BYTES } from '../../src/lib/crypto/aes-gcm.ts';
import { assertId, assertKeyVersion } from '../../src/lib/crypto/assert-args.ts';
import { concatBytes, randomBytes } from '../../src/lib/crypto/bytes.ts';
import { encodeFields } from '../../src/lib/crypto/canonical-fields.ts';
import {
	KeyVersionError,
	openEnvelope,
	readEnvelopeKeyVersion,
	sealEnvelope,
	type EnvelopeBinding
} from '../../src/lib/crypto/index.ts';
import { defaultVaultCrypto, type VaultCrypto } from '../../src/lib/vault/index.ts';

const HEADER_BYTES = 5;
const PREFIX = encodeFields(['charta', 'v1', 'envelope']);
const ASCII = /^[\x20-\x7e]*$/;

function associatedData(header: Uint8Array, binding: EnvelopeBinding): Uint8Array {
	const fields = [binding.profileId, binding.entityId, binding.kind];
	fields.forEach((field, index) => assertId(['profileId', 'entityId', 'kind'][index]!, field));
	if (!fields.every((field) => ASCII.test(field))) {
		return concatBytes(header, encodeFields(['charta', 'v1', 'envelope', ...fields]));
	}
	let length = header.length + PREFIX.length;
	for (const field of fields) length += 4 + field.length;
	const out = new Uint8Array(length);
	out.set(header);
	out.set(PREFIX, header.length);
	let offset = header.length + PREFIX.length;
	for (const field of fields) {
		const size = field.length;
		out[offset++] = size >>> 24;
		out[offset++] = (size >>> 16) & 0xff;
		out[offset++] = (size >>> 8) & 0xff;
		out[offset++] = size & 0xff;
		for (let i = 0; i < size; i++) out[offset++] = field.charCodeAt(i);
	}
	return out;
}

function headerFor(keyVersion: number): Uint8Array<ArrayBuffer> {
	assertKeyVersion(keyVersion);
	return new Uint8Array([
		1,
		keyVersion >>> 24,
		(keyVersion >>> 16) & 0xff,
		(keyVersion >>> 8) & 0xff,
		keyVersion & 0xff
	]);
}

const seal: VaultCrypto['sealEnvelope'] = async ({ profileKey, binding, plaintext }) => {
	const header = headerFor(profileKey.version);
	const iv = randomBytes(GCM_IV_BYTES);
	const ciphertext = await aesGcmEncrypt({
		key: profileKey.key,
		iv,
		plaintext,
		additionalData: associatedData(header, binding)
	});
	const out = new Uint8Array(HEADER_BYTES + GCM_IV_BYTES + ciphertext.length);
	out.set(header);
	out.set(iv, HEADER_BYTES);
	out.set(ciphertext, HEADER_BYTES + GCM_IV_BYTES);
	return out;
};

const open: VaultCrypto['openEnvelope'] = async ({ profileKey, binding, envelope }) => {
	const keyVersion = readEnvelopeKeyVersion(envelope);
	if (keyVersion !== profileKey.version) throw new KeyVersionError(profileKey.version, keyVersion);
	return aesGcmDecrypt({
		key: profileKey.key,
		iv: envelope.subarray(HEADER_BYTES, HEADER_BYTES + GCM_IV_BYTES),
		ciphertext: envelope.subarray(HEADER_BYTES + GCM_IV_BYTES),
		additionalData: associatedData(envelope.subarray(0, HEADER_BYTES), binding)
	});
};

export const proposedVaultCrypto: VaultCrypto = {
	...defaultVaultCrypto,
	sealEnvelope: seal,
	openEnvelope: open
};

export async function checkProposedEnvelope(): Promise<void> {
	const profileKey = await defaultVaultCrypto.generateProfileKey({ version: 7 });
	const binding = { profileId: crypto.randomUUID(), entityId: 'lab-1', kind: 'record' };
	const plaintext = new TextEncoder().encode('{"v":1}');
	const ours = await seal({ profileKey, binding, plaintext });
	const theirs = await sealEnvelope({ profileKey, binding, plaintext });
	const a = await openEnvelope({ profileKey, binding, envelope: ours });
	const b = await open({ profileKey, binding, envelope: theirs });
	const other = { ...binding, entityId: 'lab-2' };
	const refused = await openEnvelope({ profileKey, binding: other, envelope: ours }).then(
		() => false,
		() => true
	);
	const same = (x: Uint8Array) =>
		x.length === plaintext.length && x.every((v, i) => v === plaintext[i]);
	if (!same(a) || !same(b) || !refused) throw new Error('The proposed envelope is not compatible');
}
