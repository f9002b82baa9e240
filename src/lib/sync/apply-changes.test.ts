import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toBase64Url } from '../crypto/index.ts';
import { recordKey, type RecordRow } from '../db/index.ts';
import type { ProfileMembership } from '../shared/profiles.ts';
import type { Change } from '../shared/sync.ts';
import { openRecord, sealRecord } from '../vault/record-envelope.ts';
import { defaultVaultCrypto, type VaultCrypto } from '../vault/index.ts';
import { glucose, vaultFixture, zyx } from '../vault/test-fixture.ts';
import { applyChanges } from './apply-changes.ts';
import { createProfileKeyRing } from './profile-key-ring.ts';
import { CURSOR_SETTING } from './sync-settings.ts';

let fx: Awaited<ReturnType<typeof vaultFixture>>;
beforeEach(async () => {
	fx = await vaultFixture();
});
afterEach(() => fx.cleanup());

// A crypto that counts the envelopes it opens and seals.
function countingCrypto() {
	const counted = { opened: 0, sealed: 0 };
	const crypto: VaultCrypto = {
		...defaultVaultCrypto,
		openEnvelope: (input) => {
			counted.opened++;
			return defaultVaultCrypto.openEnvelope(input);
		},
		sealEnvelope: (input) => {
			counted.sealed++;
			return defaultVaultCrypto.sealEnvelope(input);
		}
	};
	return { crypto, counted };
}

const changeOf = (row: RecordRow, envelope = row.envelope, seq = 1): Change => ({
	mutationId: globalThis.crypto.randomUUID(),
	profileId: row.profileId,
	entityId: row.id,
	kind: 'record',
	keyVersion: row.keyVersion,
	ciphertext: toBase64Url(envelope),
	deleted: row.deleted,
	seq,
	authorId: globalThis.crypto.randomUUID(),
	serverTime: new Date(0).toISOString()
});

// `profiles`: what GET /v1/profiles answers, for profiles first seen in the pull.
async function apply(changes: Change[], crypto: VaultCrypto, profiles: ProfileMembership[] = []) {
	const api = { listProfiles: async () => ({ profiles }) };
	const keys = createProfileKeyRing({ db: fx.db, userKeyPair: fx.userKeyPair, crypto, api });
	return applyChanges({
		db: fx.db,
		crypto,
		keys,
		clock: fx.clock,
		now: () => 1,
		changes,
		cursor: 'next'
	});
}

describe('applyChanges', () => {
	it("takes this device's own change coming back as it is, without opening it", async () => {
		const profileId = await fx.vault.createProfile(zyx);
		const id = await fx.vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		const before = (await fx.db.profileRecords.get(recordKey({ profileId, id })))!;
		const { crypto, counted } = countingCrypto();

		const summary = await apply([changeOf(before)], crypto);

		expect(summary.written).toBe(0);
		expect(counted.opened).toBe(0);
		expect(await fx.db.profileRecords.get(recordKey({ profileId, id }))).toEqual(before);
		expect(await fx.db.settings.get(CURSOR_SETTING)).toMatchObject({ value: 'next' });
	});

	it('still merges a change whose bytes differ, even when it holds the same record', async () => {
		const profileId = await fx.vault.createProfile(zyx);
		const id = await fx.vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		const before = (await fx.db.profileRecords.get(recordKey({ profileId, id })))!;
		const profileKey = await createProfileKeyRing({
			db: fx.db,
			userKeyPair: fx.userKeyPair,
			crypto: defaultVaultCrypto,
			api: { listProfiles: async () => ({ profiles: [] }) }
		}).current(profileId);
		const doc = await openRecord({ crypto: defaultVaultCrypto, profileKey, row: before });
		// Sealed again: a new IV, so other bytes for the same content.
		const resealed = await sealRecord({ crypto: defaultVaultCrypto, profileKey, row: before, doc });
		const { crypto, counted } = countingCrypto();

		const summary = await apply([changeOf(before), changeOf(before, resealed, 2)], crypto);

		expect(counted.opened).toBeGreaterThan(0);
		// Merging a record with itself changes nothing, so nothing is written either.
		expect(summary.written).toBe(0);
		expect(await fx.db.profileRecords.get(recordKey({ profileId, id }))).toEqual(before);
	});

	it('keeps a record new to this device as the envelope it came in, once it has opened', async () => {
		const profileId = await fx.vault.createProfile(zyx);
		const id = await fx.vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		// As if another device had made it: the profile is here, the record not yet.
		const theirs = (await fx.db.profileRecords.get(recordKey({ profileId, id })))!;
		await fx.db.profileRecords.delete(recordKey({ profileId, id }));
		const { crypto, counted } = countingCrypto();

		const summary = await apply([changeOf(theirs)], crypto);

		expect(summary.written).toBe(1);
		expect(counted).toEqual({ opened: 1, sealed: 0 });
		expect((await fx.db.profileRecords.get(recordKey({ profileId, id })))!.envelope).toEqual(
			theirs.envelope
		);
		expect(await fx.vault.getRecord({ profileId, id })).toMatchObject({
			id,
			data: { value: glucose.value }
		});
	});

	it('seals the merge when a new record arrives in several changes', async () => {
		const profileId = await fx.vault.createProfile(zyx);
		const id = await fx.vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		const first = (await fx.db.profileRecords.get(recordKey({ profileId, id })))!;
		fx.advance(1);
		await fx.vault.saveRecord({
			profileId,
			kind: 'observation',
			id,
			data: { ...glucose, note: 'fasting' }
		});
		const second = (await fx.db.profileRecords.get(recordKey({ profileId, id })))!;
		await fx.db.profileRecords.delete(recordKey({ profileId, id }));
		const { crypto, counted } = countingCrypto();

		await apply([changeOf(first), changeOf(second, second.envelope, 2)], crypto);

		expect(counted.sealed).toBe(1);
		expect(await fx.vault.getRecord({ profileId, id })).toMatchObject({
			data: { note: 'fasting' }
		});
	});

	it('merges with a record another tab wrote while the pulled one was being opened', async () => {
		const profileId = await fx.vault.createProfile(zyx);
		const id = await fx.vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		const pulled = (await fx.db.profileRecords.get(recordKey({ profileId, id })))!;
		fx.advance(1);
		await fx.vault.saveRecord({
			profileId,
			kind: 'observation',
			id,
			data: { ...glucose, note: 'mine' }
		});
		const otherTab = (await fx.db.profileRecords.get(recordKey({ profileId, id })))!;
		await fx.db.profileRecords.delete(recordKey({ profileId, id }));
		let written = false;
		const crypto: VaultCrypto = {
			...defaultVaultCrypto,
			openEnvelope: async (input) => {
				// The other tab's write lands after this pull read the (then absent) record.
				if (!written) {
					written = true;
					await fx.db.profileRecords.put(otherTab);
				}
				return defaultVaultCrypto.openEnvelope(input);
			}
		};

		await apply([changeOf(pulled)], crypto);

		expect(await fx.vault.getRecord({ profileId, id })).toMatchObject({ data: { note: 'mine' } });
	});

	it('keeps a change for the same id in another profile as that profile’s own record', async () => {
		const mine = await fx.vault.createProfile(zyx);
		const theirs = await fx.vault.createProfile({ ...zyx, birthDate: '1990-01-01' });
		const id = await fx.vault.saveRecord({ profileId: mine, kind: 'observation', data: glucose });
		await fx.vault.saveRecord({
			profileId: theirs,
			kind: 'observation',
			id,
			data: { ...glucose, note: 'theirs' }
		});
		const before = (await fx.db.profileRecords.get(recordKey({ profileId: mine, id })))!;
		// As if another device had made the second profile's record: only its change is here.
		const pulled = (await fx.db.profileRecords.get(recordKey({ profileId: theirs, id })))!;
		await fx.db.profileRecords.delete(recordKey({ profileId: theirs, id }));

		const summary = await apply([changeOf(pulled)], defaultVaultCrypto);

		expect(summary).toMatchObject({ written: 1, undecryptable: 0 });
		expect(await fx.db.profileRecords.get(recordKey({ profileId: mine, id }))).toEqual(before);
		expect(await fx.vault.getRecord({ profileId: mine, id })).toMatchObject({ data: glucose });
		expect(await fx.vault.getRecord({ profileId: mine, id })).not.toMatchObject({
			data: { note: 'theirs' }
		});
		expect(await fx.vault.getRecord({ profileId: theirs, id })).toMatchObject({
			data: { note: 'theirs' }
		});
	});

	it('stores a profile first seen in a pull with the role the server gives, so a viewer cannot write', async () => {
		const profileId = await fx.vault.createProfile(zyx);
		const id = await fx.vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		const profile = (await fx.db.profiles.get(profileId))!;
		const record = (await fx.db.profileRecords.get(recordKey({ profileId, id })))!;
		// As if the profile had been shared with this user as a viewer and not yet been seen here.
		await fx.db.profiles.delete(profileId);
		await fx.db.profileRecords.delete(recordKey({ profileId, id }));
		const membership = {
			profileId,
			role: 'viewer' as const,
			currentKeyVersion: profile.keyVersion,
			keys: [
				{
					keyVersion: profile.keyVersion,
					wrappedProfileKey: toBase64Url(profile.wrappedProfileKey)
				}
			]
		};
		await apply([changeOf(record)], defaultVaultCrypto, [membership]);

		expect(await fx.db.profiles.get(profileId)).toMatchObject({ role: 'viewer' });
		await expect(
			fx.vault.saveRecord({ profileId, kind: 'observation', id, data: glucose })
		).rejects.toMatchObject({ reason: 'viewer' });
	});
});
