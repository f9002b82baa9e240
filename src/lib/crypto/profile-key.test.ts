import { describe, expect, it } from 'vitest';
import { openEnvelope, sealEnvelope } from './envelope.ts';
import { DecryptionError } from './errors.ts';
import { generateUserKeyPair } from './key-pair.ts';
import { generateProfileKey, unwrapProfileKey, wrapProfileKey } from './profile-key.ts';

const binding = { profileId: 'p-1', entityId: 'rec-1', kind: 'record' };

describe('profile keys', () => {
	it('are shared by wrapping for each member; every member opens what another sealed', async () => {
		const owner = await generateUserKeyPair();
		const clinician = await generateUserKeyPair();
		const profileKey = await generateProfileKey({ version: 1 });
		const forOwner = await wrapProfileKey({
			profileKey,
			profileId: 'p-1',
			recipientPublicKey: owner.publicKey
		});
		const forClinician = await wrapProfileKey({
			profileKey,
			profileId: 'p-1',
			recipientPublicKey: clinician.publicKey
		});
		const ownerKey = await unwrapProfileKey({
			wrapped: forOwner,
			profileId: 'p-1',
			keyVersion: 1,
			recipient: owner
		});
		const clinicianKey = await unwrapProfileKey({
			wrapped: forClinician,
			profileId: 'p-1',
			keyVersion: 1,
			recipient: clinician
		});
		expect(ownerKey.key.extractable).toBe(false);
		const envelope = await sealEnvelope({
			profileKey: ownerKey,
			binding,
			plaintext: new Uint8Array([1, 2, 3])
		});
		expect([...(await openEnvelope({ profileKey: clinicianKey, binding, envelope }))]).toEqual([
			1, 2, 3
		]);
	});

	it('are bound to their profile and version', async () => {
		const member = await generateUserKeyPair();
		const profileKey = await generateProfileKey({ version: 2 });
		const wrapped = await wrapProfileKey({
			profileKey,
			profileId: 'p-1',
			recipientPublicKey: member.publicKey
		});
		await expect(
			unwrapProfileKey({ wrapped, profileId: 'p-2', keyVersion: 2, recipient: member })
		).rejects.toThrow(DecryptionError);
		await expect(
			unwrapProfileKey({ wrapped, profileId: 'p-1', keyVersion: 3, recipient: member })
		).rejects.toThrow(DecryptionError);
	});

	it('cannot be unwrapped by someone they were not wrapped for', async () => {
		const member = await generateUserKeyPair();
		const outsider = await generateUserKeyPair();
		const profileKey = await generateProfileKey({ version: 1 });
		const wrapped = await wrapProfileKey({
			profileKey,
			profileId: 'p-1',
			recipientPublicKey: member.publicKey
		});
		await expect(
			unwrapProfileKey({ wrapped, profileId: 'p-1', keyVersion: 1, recipient: outsider })
		).rejects.toThrow(DecryptionError);
	});
});
