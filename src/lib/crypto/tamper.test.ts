import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openEnvelope, sealEnvelope } from './envelope.ts';
import { DecryptionError } from './errors.ts';
import { splitMasterKey } from './hkdf-split.ts';
import { generateUserKeyPair } from './key-pair.ts';
import { unwrapPrivateKey, wrapPrivateKey } from './private-key-wrap.ts';
import { generateProfileKey, unwrapProfileKey, wrapProfileKey } from './profile-key.ts';
import { deriveRecoveryWrappingKey, RECOVERY_SECRET_BYTES } from './recovery-key.ts';

const FLIPS = 1000;
const SECRET = 'Hemoglobin A1c 9.1 % — confidential';

// Flips one random byte by a random non-zero mask and insists the result is refused with a
// DecryptionError (or subclass) and never opens. fast-check prints the seed and path to replay
// any failure.
async function expectEveryFlipRejected(
	sealed: Uint8Array,
	open: (tampered: Uint8Array) => Promise<unknown>
): Promise<void> {
	let flips = 0;
	const errorKinds = new Map<string, number>();
	await fc.assert(
		fc.asyncProperty(
			fc.nat({ max: sealed.length - 1 }),
			fc.integer({ min: 1, max: 255 }),
			async (index, mask) => {
				flips++;
				const tampered = sealed.slice();
				tampered[index] = (tampered[index] ?? 0) ^ mask;
				let opened: unknown;
				try {
					opened = await open(tampered);
				} catch (error) {
					expect(error).toBeInstanceOf(DecryptionError);
					expect(String(error)).not.toContain('Hemoglobin');
					const kind = (error as Error).name;
					errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
					return;
				}
				throw new Error(`byte ${index} ^ ${mask} opened: ${String(opened)}`);
			}
		),
		{ numRuns: FLIPS }
	);
	expect(flips).toBe(FLIPS);
	console.info(`${FLIPS} flips of ${sealed.length} bytes refused:`, Object.fromEntries(errorKinds));
}

describe(`${FLIPS} random single-byte flips`, () => {
	it('of an envelope are each refused, never yielding plaintext', async () => {
		const profileKey = await generateProfileKey({ version: 7 });
		const binding = { profileId: 'p-1', entityId: 'obs-1', kind: 'record' };
		const envelope = await sealEnvelope({
			profileKey,
			binding,
			plaintext: new TextEncoder().encode(SECRET)
		});
		await expectEveryFlipRejected(envelope, (tampered) =>
			openEnvelope({ profileKey, binding, envelope: tampered })
		);
	});

	it('of an ECIES-wrapped profile key are each refused', async () => {
		const recipient = await generateUserKeyPair();
		const profileKey = await generateProfileKey({ version: 3 });
		const wrapped = await wrapProfileKey({
			profileKey,
			profileId: 'p-1',
			recipientPublicKey: recipient.publicKey
		});
		await expectEveryFlipRejected(wrapped, (tampered) =>
			unwrapProfileKey({ wrapped: tampered, profileId: 'p-1', keyVersion: 3, recipient })
		);
	});

	it('of a private key wrapped by the KEK are each refused', async () => {
		const { kek } = await splitMasterKey(crypto.getRandomValues(new Uint8Array(32)));
		const { privateKey } = await generateUserKeyPair();
		const wrapped = await wrapPrivateKey({ privateKey, wrappingKey: kek });
		await expectEveryFlipRejected(wrapped, (tampered) =>
			unwrapPrivateKey({ wrapped: tampered, wrappingKey: kek })
		);
	});

	it('of a private key wrapped by the recovery key are each refused', async () => {
		const wrappingKey = await deriveRecoveryWrappingKey(
			crypto.getRandomValues(new Uint8Array(RECOVERY_SECRET_BYTES))
		);
		const { privateKey } = await generateUserKeyPair();
		const wrapped = await wrapPrivateKey({ privateKey, wrappingKey });
		await expectEveryFlipRejected(wrapped, (tampered) =>
			unwrapPrivateKey({ wrapped: tampered, wrappingKey })
		);
	});
});
