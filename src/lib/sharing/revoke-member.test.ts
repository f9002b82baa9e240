import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	exportPublicKey,
	fromBase64Url,
	generateUserKeyPair,
	unwrapProfileKey,
	type CryptoKeyPair
} from '../crypto/index.ts';
import { recordKey } from '../db/index.ts';
import type { MembersResponse, RevokeMemberRequest } from '../shared/profiles.ts';
import { createProfileKeyRing } from '../sync/profile-key-ring.ts';
import { defaultVaultCrypto } from '../vault/index.ts';
import { glucose, vaultFixture, zyx } from '../vault/test-fixture.ts';
import { SharingError } from './errors.ts';
import { revokeMember } from './revoke-member.ts';

const OWNER = '00000000-0000-4000-8000-00000000000a';
const EDITOR = '00000000-0000-4000-8000-00000000000b';
const VIEWER = '00000000-0000-4000-8000-00000000000c';

let fx: Awaited<ReturnType<typeof vaultFixture>>;
let editor: CryptoKeyPair;
let viewer: CryptoKeyPair;
beforeEach(async () => {
	fx = await vaultFixture();
	[editor, viewer] = await Promise.all([generateUserKeyPair(), generateUserKeyPair()]);
});
afterEach(() => fx.cleanup());

async function member(userId: string, role: 'owner' | 'editor' | 'viewer', pair: CryptoKeyPair) {
	return {
		userId,
		email: `${role}@example.org`,
		role,
		publicKey: await exportPublicKey(pair.publicKey, 'jwk'),
		addedAt: '2026-11-01T10:00:00Z',
		revokedAt: null
	};
}

async function revokeEditor(profileId: string) {
	const members: MembersResponse = {
		profileId,
		currentKeyVersion: 1,
		members: [
			await member(OWNER, 'owner', fx.userKeyPair),
			await member(EDITOR, 'editor', editor),
			await member(VIEWER, 'viewer', viewer)
		]
	};
	const sent: RevokeMemberRequest[] = [];
	const api = {
		listMembers: async () => members,
		revokeMember: async (_profileId: string, userId: string, body: RevokeMemberRequest) => {
			expect(userId).toBe(EDITOR);
			sent.push(body);
			return { currentKeyVersion: body.keyVersion };
		},
		listProfiles: async () => ({ profiles: [] })
	};
	const keys = createProfileKeyRing({
		db: fx.db,
		userKeyPair: fx.userKeyPair,
		crypto: defaultVaultCrypto,
		api
	});
	const outcome = await revokeMember({
		db: fx.db,
		api,
		crypto: defaultVaultCrypto,
		keys,
		userKeyPair: fx.userKeyPair,
		profileId,
		userId: EDITOR,
		now: () => 1_700_000_100_000
	});
	return { outcome, sent };
}

describe('revokeMember', () => {
	it('rotates to the next version, wrapped for every remaining member but not the removed one', async () => {
		const profileId = await fx.vault.createProfile(zyx);
		const { outcome, sent } = await revokeEditor(profileId);

		expect(outcome).toEqual({ currentKeyVersion: 2, adopted: true });
		expect(sent).toHaveLength(1);
		expect(sent[0]!.keyVersion).toBe(2);
		expect(sent[0]!.keys.map((k) => k.userId).sort()).toEqual([OWNER, VIEWER]);
		const forViewer = sent[0]!.keys.find((k) => k.userId === VIEWER)!;
		const key = await unwrapProfileKey({
			wrapped: fromBase64Url(forViewer.wrappedProfileKey),
			profileId,
			keyVersion: 2,
			recipient: viewer
		});
		expect(key.version).toBe(2);
		// Nothing in the request opens with the removed member's private key.
		for (const entry of sent[0]!.keys) {
			await expect(
				unwrapProfileKey({
					wrapped: fromBase64Url(entry.wrappedProfileKey),
					profileId,
					keyVersion: 2,
					recipient: editor
				})
			).rejects.toThrow();
		}
	});

	it('moves this device to the new version: records re-sealed, reads and new writes under it', async () => {
		const profileId = await fx.vault.createProfile(zyx);
		const before = await fx.vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		// The vault has the version 1 key cached now.
		expect(await fx.vault.getRecord({ profileId, id: before })).toMatchObject({ data: glucose });

		await revokeEditor(profileId);

		expect(await fx.db.profiles.get(profileId)).toMatchObject({ keyVersion: 2 });
		expect((await fx.db.profileRecords.toArray()).map((row) => row.keyVersion)).toEqual([2, 2]);
		// The earlier key stays on the device (this vault has no server to ask): what is still
		// sealed under it, an attachment's chunks say, opens offline.
		expect((await fx.vault.profileKeyFor(profileId, 1)).version).toBe(1);
		// The vault notices the new version (liveQuery) and opens the re-sealed records.
		await expect
			.poll(() => fx.vault.getRecord({ profileId, id: before }))
			.toMatchObject({ data: glucose });
		expect(await fx.vault.getProfile(profileId)).toMatchObject({ patient: { name: zyx.name } });
		const after = await fx.vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		expect(await fx.db.profileRecords.get(recordKey({ profileId, id: after }))).toMatchObject({
			keyVersion: 2
		});
	});

	it('refuses to remove the owner or someone who is not a member, and sends nothing', async () => {
		const profileId = await fx.vault.createProfile(zyx);
		const api = {
			listMembers: async (): Promise<MembersResponse> => ({
				profileId,
				currentKeyVersion: 1,
				members: [await member(OWNER, 'owner', fx.userKeyPair)]
			}),
			revokeMember: async () => {
				throw new Error('not sent');
			}
		};
		const keys = { get: () => Promise.reject(new Error('unused')) };
		for (const userId of [OWNER, EDITOR]) {
			await expect(
				revokeMember({
					db: fx.db,
					api,
					crypto: defaultVaultCrypto,
					keys,
					userKeyPair: fx.userKeyPair,
					profileId,
					userId,
					now: Date.now
				})
			).rejects.toBeInstanceOf(SharingError);
		}
		expect(await fx.db.profiles.get(profileId)).toMatchObject({ keyVersion: 1 });
	});
});
