import { describe, expect, it } from 'vitest';
import { unwrapAsRecipient, wrapForRecipient } from './ecies.ts';
import { CiphertextFormatError, DecryptionError } from './errors.ts';
import { generateUserKeyPair } from './key-pair.ts';

const text = (s: string) => new TextEncoder().encode(s);
const associatedData = text('context');

describe('ECIES (ephemeral ECDH P-256 + HKDF-SHA256 + AES-256-GCM)', () => {
	it('round-trips bytes for the recipient', async () => {
		const recipient = await generateUserKeyPair();
		const plaintext = crypto.getRandomValues(new Uint8Array(32));
		const wrapped = await wrapForRecipient({
			recipientPublicKey: recipient.publicKey,
			plaintext,
			associatedData
		});
		expect(wrapped).toHaveLength(1 + 65 + 32 + 16);
		expect(await unwrapAsRecipient({ recipient, wrapped, associatedData })).toEqual(plaintext);
	});

	it('uses a fresh ephemeral key per wrap', async () => {
		const recipient = await generateUserKeyPair();
		const input = { recipientPublicKey: recipient.publicKey, plaintext: text('k'), associatedData };
		const a = await wrapForRecipient(input);
		const b = await wrapForRecipient(input);
		expect(Buffer.from(a.subarray(1, 66)).equals(Buffer.from(b.subarray(1, 66)))).toBe(false);
	});

	it('cannot be opened by anyone else, nor with other associated data', async () => {
		const recipient = await generateUserKeyPair();
		const stranger = await generateUserKeyPair();
		const wrapped = await wrapForRecipient({
			recipientPublicKey: recipient.publicKey,
			plaintext: text('k'),
			associatedData
		});
		await expect(
			unwrapAsRecipient({ recipient: stranger, wrapped, associatedData })
		).rejects.toThrow(DecryptionError);
		await expect(
			unwrapAsRecipient({ recipient, wrapped, associatedData: text('other context') })
		).rejects.toThrow(DecryptionError);
		// The recipient's own public key is bound too: pairing the private key with another
		// public key does not open it.
		await expect(
			unwrapAsRecipient({
				recipient: { ...recipient, publicKey: stranger.publicKey },
				wrapped,
				associatedData
			})
		).rejects.toThrow(DecryptionError);
	});

	it('refuses every truncation and an off-curve ephemeral key', async () => {
		const recipient = await generateUserKeyPair();
		const wrapped = await wrapForRecipient({
			recipientPublicKey: recipient.publicKey,
			plaintext: text('key'),
			associatedData
		});
		for (let length = 0; length < wrapped.length; length++) {
			await expect(
				unwrapAsRecipient({ recipient, wrapped: wrapped.subarray(0, length), associatedData })
			).rejects.toThrow(DecryptionError);
		}
		const offCurve = wrapped.slice();
		offCurve.fill(0, 2, 66);
		await expect(
			unwrapAsRecipient({ recipient, wrapped: offCurve, associatedData })
		).rejects.toThrow(CiphertextFormatError);
	});
});
