import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	exportPublicKey,
	fromBase64Url,
	generateUserKeyPair,
	openEnvelope,
	sealEnvelope,
	toBase64Url,
	unwrapProfileKey,
	type CryptoKeyPair
} from '../crypto/index.ts';
import { recordKey } from '../db/index.ts';
import { ApiRequestError } from '../http/api-errors.ts';
import type { AddMemberRequest, MembersResponse, ProfilesResponse } from '../shared/profiles.ts';
import { defaultVaultCrypto } from '../vault/index.ts';
import { vaultFixture, zyx } from '../vault/test-fixture.ts';
import { KeyChangedError, UnknownAccountError } from './errors.ts';
import { inviteMember } from './invite-member.ts';
import { checkKeyPin } from './key-pins.ts';

let fx: Awaited<ReturnType<typeof vaultFixture>>;
let invitee: CryptoKeyPair;
beforeEach(async () => {
	fx = await vaultFixture();
	invitee = await generateUserKeyPair();
});
afterEach(() => fx.cleanup());

const OWNER_ID = '00000000-0000-4000-8000-00000000000a';
const INVITEE_ID = '00000000-0000-4000-8000-00000000000b';
const binding = (profileId: string) => ({ profileId, entityId: 'note-1', kind: 'record' });

// A server that knows the owner's profile at key versions 1 and 2, both wrapped for the owner.
async function serverWithTwoVersions(profileId: string) {
	const v1 = (await fx.db.profiles.get(profileId))!.wrappedProfileKey;
	const second = await defaultVaultCrypto.generateProfileKey({ version: 2 });
	const v2 = await defaultVaultCrypto.wrapProfileKey({
		profileKey: second,
		profileId,
		recipientPublicKey: fx.userKeyPair.publicKey
	});
	const added: AddMemberRequest[] = [];
	const profiles: ProfilesResponse = {
		profiles: [
			{
				profileId,
				role: 'owner',
				currentKeyVersion: 2,
				keys: [
					{ keyVersion: 1, wrappedProfileKey: toBase64Url(v1) },
					{ keyVersion: 2, wrappedProfileKey: toBase64Url(v2) }
				]
			}
		]
	};
	const members: MembersResponse = {
		profileId,
		currentKeyVersion: 2,
		members: [
			{
				userId: OWNER_ID,
				email: 'owner@example.org',
				role: 'owner',
				publicKey: await exportPublicKey(fx.userKeyPair.publicKey, 'jwk'),
				addedAt: '2026-11-01T10:00:00Z',
				revokedAt: null
			}
		]
	};
	const api = {
		lookupUser: async (email: string) => {
			if (email !== 'ines@example.org') {
				throw new ApiRequestError(404, 'user_not_found', 'No account uses this email.');
			}
			return {
				userId: INVITEE_ID,
				email,
				publicKey: await exportPublicKey(invitee.publicKey, 'jwk')
			};
		},
		listMembers: async () => members,
		listProfiles: async () => profiles,
		addMember: async (_profileId: string, body: AddMemberRequest) => {
			added.push(body);
			return {
				...members.members[0]!,
				userId: body.userId,
				email: 'ines@example.org',
				role: body.role,
				publicKey: await exportPublicKey(invitee.publicKey, 'jwk')
			};
		}
	};
	return { api, added, second };
}

describe('inviteMember', () => {
	it('wraps every key version for the invitee, who can then open what each version sealed', async () => {
		const profileId = await fx.vault.createProfile(zyx);
		const { api, added, second } = await serverWithTwoVersions(profileId);
		const first = await fx.vault.getProfile(profileId);
		expect(first).toMatchObject({ patient: { name: zyx.name } });

		await inviteMember({
			api,
			crypto: defaultVaultCrypto,
			userKeyPair: fx.userKeyPair,
			profileId,
			email: '  Ines@Example.org ',
			role: 'viewer'
		});

		expect(added).toHaveLength(1);
		expect(added[0]).toMatchObject({ userId: INVITEE_ID, role: 'viewer' });
		expect(added[0]!.keys.map((k) => k.keyVersion)).toEqual([1, 2]);

		// Version 1: the invitee opens the patient record the owner sealed on this device.
		const patientRow = (await fx.db.profileRecords.get(recordKey({ profileId, id: profileId })))!;
		const theirV1 = await unwrapProfileKey({
			wrapped: fromBase64Url(added[0]!.keys[0]!.wrappedProfileKey),
			profileId,
			keyVersion: 1,
			recipient: invitee
		});
		const opened = await openEnvelope({
			profileKey: theirV1,
			binding: { profileId, entityId: profileId, kind: 'profile' },
			envelope: patientRow.envelope
		});
		expect(new TextDecoder().decode(opened)).toContain('Zyxwvuta');

		// Version 2: what the owner seals under the second key, the invitee opens.
		const sealed = await sealEnvelope({
			profileKey: second,
			binding: binding(profileId),
			plaintext: new TextEncoder().encode('after rotation')
		});
		const theirV2 = await unwrapProfileKey({
			wrapped: fromBase64Url(added[0]!.keys[1]!.wrappedProfileKey),
			profileId,
			keyVersion: 2,
			recipient: invitee
		});
		const text = await openEnvelope({
			profileKey: theirV2,
			binding: binding(profileId),
			envelope: sealed
		});
		expect(new TextDecoder().decode(text)).toBe('after rotation');
	});

	it('never makes the device’s own copy of a key extractable: sharing unwraps a copy of its own', async () => {
		const profileId = await fx.vault.createProfile(zyx);
		const own = await unwrapProfileKey({
			wrapped: (await fx.db.profiles.get(profileId))!.wrappedProfileKey,
			profileId,
			keyVersion: 1,
			recipient: fx.userKeyPair
		});
		expect(own.key.extractable).toBe(false);
		const unwrapped: boolean[] = [];
		const { api } = await serverWithTwoVersions(profileId);
		await inviteMember({
			api,
			crypto: {
				...defaultVaultCrypto,
				unwrapProfileKey: async (args) => {
					unwrapped.push(args.extractable ?? false);
					return unwrapProfileKey(args);
				}
			},
			userKeyPair: fx.userKeyPair,
			profileId,
			email: 'ines@example.org',
			role: 'editor'
		});
		expect(unwrapped).toEqual([true, true]);
	});

	it('says no account uses the email when the lookup answers 404, and adds nobody', async () => {
		const profileId = await fx.vault.createProfile(zyx);
		const { api, added } = await serverWithTwoVersions(profileId);
		const error = await inviteMember({
			api,
			crypto: defaultVaultCrypto,
			userKeyPair: fx.userKeyPair,
			profileId,
			email: 'nobody@example.org',
			role: 'viewer'
		}).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(UnknownAccountError);
		expect((error as Error).message).toBe('No Charta account uses this email.');
		expect(added).toEqual([]);
	});

	it('refuses to wrap for a key the server swapped in for someone already shared with', async () => {
		const profileId = await fx.vault.createProfile(zyx);
		const { api, added } = await serverWithTwoVersions(profileId);
		const invite = () =>
			inviteMember({
				api,
				crypto: defaultVaultCrypto,
				userKeyPair: fx.userKeyPair,
				profileId,
				email: 'ines@example.org',
				role: 'editor',
				checkKey: (person) => checkKeyPin(fx.db, person)
			});
		await invite();
		await invite(); // the same key again: fine
		expect(added).toHaveLength(2);

		// The server now answers with another key under Inês's user id.
		invitee = await generateUserKeyPair();
		const error = await invite().catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(KeyChangedError);
		expect((error as Error).message).toMatch(/different key for ines@example.org/);
		expect(added).toHaveLength(2);
	});
});
