import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from './base64url.ts';
import {
	ENVELOPE_OVERHEAD,
	openEnvelope,
	readEnvelopeKeyVersion,
	sealEnvelope,
	type EnvelopeBinding
} from './envelope.ts';
import {
	CiphertextFormatError,
	DecryptionError,
	InvalidArgumentError,
	KeyVersionError
} from './errors.ts';
import { generateProfileKey } from './profile-key.ts';

const binding: EnvelopeBinding = { profileId: 'profile-1', entityId: 'obs-42', kind: 'record' };
const text = (s: string) => new TextEncoder().encode(s);
const read = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('envelope', () => {
	it('round-trips plaintexts of any size, including empty', async () => {
		const profileKey = await generateProfileKey({ version: 1 });
		for (const plaintext of [
			new Uint8Array(0),
			text('{"value":5.4}'),
			crypto.getRandomValues(new Uint8Array(65536))
		]) {
			const envelope = await sealEnvelope({ profileKey, binding, plaintext });
			expect(envelope).toHaveLength(plaintext.length + ENVELOPE_OVERHEAD);
			expect(await openEnvelope({ profileKey, binding, envelope })).toEqual(plaintext);
		}
	});

	it('lays out version | key version (4 bytes BE) | 12-byte IV | ciphertext+tag', async () => {
		const profileKey = await generateProfileKey({ version: 0x01020304 });
		const envelope = await sealEnvelope({ profileKey, binding, plaintext: text('x') });
		expect([...envelope.subarray(0, 5)]).toEqual([1, 1, 2, 3, 4]);
		expect(envelope).toHaveLength(1 + 4 + 12 + 1 + 16);
		expect(readEnvelopeKeyVersion(envelope)).toBe(0x01020304);
	});

	it('uses a fresh IV each time, so equal plaintexts give different envelopes', async () => {
		const profileKey = await generateProfileKey({ version: 1 });
		const a = await sealEnvelope({ profileKey, binding, plaintext: text('same') });
		const b = await sealEnvelope({ profileKey, binding, plaintext: text('same') });
		expect(toBase64Url(a)).not.toBe(toBase64Url(b));
	});

	it('never repeats an IV, also across refills of the random pool (341 IVs per refill)', async () => {
		const profileKey = await generateProfileKey({ version: 1 });
		const envelopes = await Promise.all(
			Array.from({ length: 1500 }, () =>
				sealEnvelope({ profileKey, binding, plaintext: text('x') })
			)
		);
		const ivs = new Set(envelopes.map((envelope) => toBase64Url(envelope.subarray(5, 17))));
		expect(ivs.size).toBe(1500);
		for (const envelope of envelopes.slice(0, 50)) {
			expect(read(await openEnvelope({ profileKey, binding, envelope }))).toBe('x');
		}
	});

	it('survives the wire as base64url', async () => {
		const profileKey = await generateProfileKey({ version: 1 });
		const wire = toBase64Url(
			await sealEnvelope({ profileKey, binding, plaintext: text('Glucose 5.4 mmol/L') })
		);
		expect(read(await openEnvelope({ profileKey, binding, envelope: fromBase64Url(wire) }))).toBe(
			'Glucose 5.4 mmol/L'
		);
	});

	it.each([
		['another profile', { ...binding, profileId: 'profile-2' }],
		['another record', { ...binding, entityId: 'obs-43' }],
		['another kind', { ...binding, kind: 'note-snapshot' }],
		[
			'characters moved between fields',
			{ profileId: 'profile-1o', entityId: 'bs-42', kind: 'record' }
		]
	])('cannot be moved to %s', async (_, otherBinding) => {
		const profileKey = await generateProfileKey({ version: 1 });
		const envelope = await sealEnvelope({ profileKey, binding, plaintext: text('secret') });
		await expect(openEnvelope({ profileKey, binding: otherBinding, envelope })).rejects.toThrow(
			DecryptionError
		);
	});

	it('names the key version it needs when opened with another version', async () => {
		const v1 = await generateProfileKey({ version: 1 });
		const v2 = await generateProfileKey({ version: 2 });
		const envelope = await sealEnvelope({ profileKey: v1, binding, plaintext: text('secret') });
		const error = await openEnvelope({ profileKey: v2, binding, envelope }).catch(
			(e: unknown) => e
		);
		expect(error).toBeInstanceOf(KeyVersionError);
		expect(error).toMatchObject({ expected: 2, actual: 1 });
	});

	it('refuses a different key that claims the same version', async () => {
		const profileKey = await generateProfileKey({ version: 1 });
		const impostor = await generateProfileKey({ version: 1 });
		const envelope = await sealEnvelope({ profileKey, binding, plaintext: text('secret') });
		await expect(openEnvelope({ profileKey: impostor, binding, envelope })).rejects.toThrow(
			DecryptionError
		);
	});

	it('refuses every truncation', async () => {
		const profileKey = await generateProfileKey({ version: 1 });
		const envelope = await sealEnvelope({ profileKey, binding, plaintext: text('truncate me') });
		for (let length = 0; length < envelope.length; length++) {
			await expect(
				openEnvelope({ profileKey, binding, envelope: envelope.subarray(0, length) })
			).rejects.toThrow(length < ENVELOPE_OVERHEAD ? CiphertextFormatError : DecryptionError);
		}
	});

	it('refuses an unknown format version without trying to decrypt', async () => {
		const profileKey = await generateProfileKey({ version: 1 });
		const envelope = await sealEnvelope({ profileKey, binding, plaintext: text('x') });
		envelope[0] = 2;
		await expect(openEnvelope({ profileKey, binding, envelope })).rejects.toThrow(
			CiphertextFormatError
		);
	});

	it('refuses empty ids and out-of-range key versions', async () => {
		const profileKey = await generateProfileKey({ version: 1 });
		await expect(
			sealEnvelope({ profileKey, binding: { ...binding, entityId: '' }, plaintext: text('x') })
		).rejects.toThrow(InvalidArgumentError);
		await expect(generateProfileKey({ version: 2 ** 32 })).rejects.toThrow(InvalidArgumentError);
		await expect(
			sealEnvelope({ profileKey: { ...profileKey, version: -1 }, binding, plaintext: text('x') })
		).rejects.toThrow(InvalidArgumentError);
	});
});
