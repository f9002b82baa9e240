import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEnvelope, sealEnvelope, toBase64Url, unwrapProfileKey } from '../crypto/index.ts';
import { recordKey, recordsOf } from '../db/index.ts';
import type { ProfileMembership } from '../shared/profiles.ts';
import { followKeyRotation } from '../sync/follow-key-rotation.ts';
import { createProfileKeyRing } from '../sync/profile-key-ring.ts';
import { registeredKey } from '../sync/sync-settings.ts';
import { defaultVaultCrypto } from '../vault/index.ts';
import { glucose, vaultFixture, zyx } from '../vault/test-fixture.ts';

// The unit tests for src/lib/sync/follow-key-rotation.ts live with the rest of sharing.

let fx: Awaited<ReturnType<typeof vaultFixture>>;
beforeEach(async () => {
	fx = await vaultFixture();
});
afterEach(() => fx.cleanup());

async function registeredProfile() {
	const profileId = await fx.vault.createProfile(zyx);
	await fx.db.settings.put({ key: registeredKey(profileId), value: true });
	return profileId;
}

async function wrappedForMe(profileId: string, version: number) {
	const profileKey = await defaultVaultCrypto.generateProfileKey({ version });
	const wrapped = await defaultVaultCrypto.wrapProfileKey({
		profileKey,
		profileId,
		recipientPublicKey: fx.userKeyPair.publicKey
	});
	return { keyVersion: version, wrappedProfileKey: toBase64Url(wrapped) };
}

async function membershipAt(
	profileId: string,
	role: ProfileMembership['role'],
	version: number
): Promise<ProfileMembership> {
	const v1 = (await fx.db.profiles.get(profileId))?.wrappedProfileKey;
	const keys = [v1 ? { keyVersion: 1, wrappedProfileKey: toBase64Url(v1) } : null];
	for (let v = 2; v <= version; v++) keys.push(await wrappedForMe(profileId, v));
	return {
		profileId,
		role,
		currentKeyVersion: version,
		keys: keys.filter((k) => k !== null)
	};
}

function follow(profiles: ProfileMembership[]) {
	return followKeyRotation({
		db: fx.db,
		api: { listProfiles: async () => ({ profiles }) },
		keys: {
			get: async (profileId, keyVersion) => {
				const row = (await fx.db.profiles.get(profileId))!;
				expect(row.keyVersion).toBe(keyVersion);
				return unwrapProfileKey({
					wrapped: row.wrappedProfileKey,
					profileId,
					keyVersion,
					recipient: fx.userKeyPair
				});
			}
		},
		crypto: defaultVaultCrypto,
		userKeyPair: fx.userKeyPair,
		now: () => 1_700_000_500_000
	});
}

describe('followKeyRotation', () => {
	it('adopts a rotation made elsewhere: row and records move to the new version, reads go on', async () => {
		const profileId = await registeredProfile();
		const recordId = await fx.vault.saveRecord({ profileId, kind: 'observation', data: glucose });

		const summary = await follow([await membershipAt(profileId, 'editor', 2)]);

		expect(summary).toEqual({ rotated: [profileId], revoked: [] });
		expect(await fx.db.profiles.get(profileId)).toMatchObject({ keyVersion: 2, role: 'editor' });
		expect((await fx.db.profileRecords.toArray()).every((row) => row.keyVersion === 2)).toBe(true);
		await expect
			.poll(() => fx.vault.getRecord({ profileId, id: recordId }))
			.toMatchObject({ data: glucose });
		const later = await fx.vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		expect(await fx.db.profileRecords.get(recordKey({ profileId, id: later }))).toMatchObject({
			keyVersion: 2
		});
	});

	it('puts changes refused for their key version back in line, and no other refusal', async () => {
		const profileId = await registeredProfile();
		await fx.vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		const [first, second] = await fx.db.outbox.orderBy('seq').primaryKeys();
		await fx.db.outbox.update(first!, { lastError: 'stale_key_version: the current key is 2' });
		await fx.db.outbox.update(second!, { lastError: 'invalid: not storable' });

		await follow([await membershipAt(profileId, 'owner', 2)]);

		const rows = await fx.db.outbox.orderBy('seq').toArray();
		expect(rows.map((row) => row.lastError)).toEqual([undefined, 'invalid: not storable']);
	});

	it('does nothing more when the device is already at the server’s version', async () => {
		const profileId = await registeredProfile();
		const before = await fx.db.profiles.get(profileId);
		expect(await follow([await membershipAt(profileId, 'owner', 1)])).toEqual({
			rotated: [],
			revoked: []
		});
		expect(await fx.db.profiles.get(profileId)).toEqual(before);
	});

	it('stores a role the owner changed', async () => {
		const profileId = await registeredProfile();
		await follow([await membershipAt(profileId, 'viewer', 1)]);
		expect(await fx.db.profiles.get(profileId)).toMatchObject({ role: 'viewer', keyVersion: 1 });
	});

	it('adds a profile shared with this user, with its role, registered so it is never re-created', async () => {
		const profileId = globalThis.crypto.randomUUID();
		const shared = await membershipAt(profileId, 'viewer', 3);
		await follow([shared]);
		const row = await fx.db.profiles.get(profileId);
		expect(row).toMatchObject({ keyVersion: 3, role: 'viewer', deleted: false });
		const key = await unwrapProfileKey({
			wrapped: row!.wrappedProfileKey,
			profileId,
			keyVersion: 3,
			recipient: fx.userKeyPair
		});
		expect(key.version).toBe(3);
		expect(await fx.db.settings.get(registeredKey(profileId))).toMatchObject({ value: true });
	});

	// An attachment's chunks keep the version they were sealed under; after a rotation the device
	// must still open them with no network, as it did before.
	it('keeps the earlier key on the device, so what is sealed under it opens offline', async () => {
		const profileId = await registeredProfile();
		const v1 = await unwrapProfileKey({
			wrapped: (await fx.db.profiles.get(profileId))!.wrappedProfileKey,
			profileId,
			keyVersion: 1,
			recipient: fx.userKeyPair
		});
		const binding = { profileId, entityId: 'chunk-0', kind: 'attachment-chunk' };
		const plaintext = new TextEncoder().encode('page one of the report');
		const envelope = await sealEnvelope({ profileKey: v1, binding, plaintext });

		await follow([await membershipAt(profileId, 'owner', 3)]);

		const row = (await fx.db.profiles.get(profileId))!;
		expect(row.keyVersion).toBe(3);
		expect(row.olderKeys?.map((key) => key.keyVersion)).toEqual([1, 2]);
		const offline = createProfileKeyRing({
			db: fx.db,
			userKeyPair: fx.userKeyPair,
			crypto: defaultVaultCrypto,
			api: { listProfiles: () => Promise.reject(new TypeError('Failed to fetch')) }
		});
		const key = await offline.get(profileId, 1);
		expect(await openEnvelope({ profileKey: key, binding, envelope })).toEqual(plaintext);
		expect((await offline.get(profileId, 2)).version).toBe(2);
	});

	it('keeps the earlier keys of a profile shared with this user at a later version', async () => {
		const profileId = globalThis.crypto.randomUUID();
		// Shared after one rotation: this user holds versions 2 and 3.
		await follow([await membershipAt(profileId, 'editor', 3)]);
		const row = (await fx.db.profiles.get(profileId))!;
		expect(row.keyVersion).toBe(3);
		expect(row.olderKeys?.map((key) => key.keyVersion)).toEqual([2]);
	});

	it('marks a profile the user was removed from, keeps its records, and hides it from the list', async () => {
		const removed = await registeredProfile();
		await fx.vault.saveRecord({ profileId: removed, kind: 'observation', data: glucose });
		const notYetRegistered = await fx.vault.createProfile({ ...zyx, birthDate: '1990-01-01' });

		expect(await follow([])).toEqual({ rotated: [], revoked: [removed] });

		expect(await fx.db.profiles.get(removed)).toMatchObject({ revoked: true });
		expect(await fx.db.profiles.get(notYetRegistered)).not.toHaveProperty('revoked', true);
		expect(
			await recordsOf(fx.db, removed)
				.filter((row) => row.kind === 'observation')
				.count()
		).toBe(1);
		expect((await fx.vault.listProfiles()).map((p) => p.id)).toEqual([notYetRegistered]);

		// Shared again later: listed again.
		await follow([await membershipAt(removed, 'editor', 1)]);
		expect(await fx.db.profiles.get(removed)).toMatchObject({ revoked: false, role: 'editor' });
	});
});
