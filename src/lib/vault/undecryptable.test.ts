import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sealEnvelope, unwrapProfileKey } from '../crypto/index.ts';
import { encodeHlc } from '../hlc/index.ts';
import { UndecryptableRecordError } from './errors.ts';
import { recordBinding } from './record-envelope.ts';
import { glucose, vaultFixture, zyx } from './test-fixture.ts';

let fx: Awaited<ReturnType<typeof vaultFixture>>;
beforeEach(async () => {
	fx = await vaultFixture();
});
afterEach(() => fx.cleanup());

describe('records that cannot be decrypted', () => {
	it('shows a placeholder for a corrupted envelope while the rest of the profile lists', async () => {
		const { vault, db } = fx;
		const profileId = await vault.createProfile(zyx);
		const good = await vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		fx.advance(1);
		const bad = await vault.saveRecord({
			profileId,
			kind: 'observation',
			data: { ...glucose, note: 'x' }
		});
		const row = (await db.profileRecords.get([profileId, bad]))!;
		const envelope = row.envelope.slice();
		envelope[envelope.length - 3]! ^= 0x01;
		await db.profileRecords.update([profileId, bad], { envelope });

		const items = await vault.listRecords(profileId);
		expect(items).toEqual([
			{ id: bad, profileId, kind: 'observation', error: 'undecryptable' },
			expect.objectContaining({
				id: good,
				data: expect.objectContaining({ effectiveDateTime: glucose.effectiveDateTime })
			})
		]);
		expect(await vault.getRecord({ profileId, id: bad })).toEqual({
			id: bad,
			profileId,
			kind: 'observation',
			error: 'undecryptable'
		});
		expect(await vault.listProfiles()).toEqual([{ id: profileId, patient: expect.anything() }]);
	});

	it('refuses to write over a record it cannot read, rather than lose its hidden fields', async () => {
		const { vault, db } = fx;
		const profileId = await vault.createProfile(zyx);
		const id = await vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		await db.profileRecords.update([profileId, id], { envelope: new Uint8Array([1, 0, 0, 0, 1]) });
		const outbox = await db.outbox.count();
		await expect(
			vault.saveRecord({ profileId, kind: 'observation', id, data: glucose })
		).rejects.toBeInstanceOf(UndecryptableRecordError);
		await expect(vault.deleteRecord({ profileId, id })).rejects.toBeInstanceOf(
			UndecryptableRecordError
		);
		expect(await db.outbox.count()).toBe(outbox);
	});

	it('notices an envelope moved onto another record, and a kind column that was rewritten', async () => {
		const { vault, db } = fx;
		const profileId = await vault.createProfile(zyx);
		const a = await vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		const b = await vault.saveRecord({
			profileId,
			kind: 'note',
			data: { title: 'Visit', docId: crypto.randomUUID() }
		});
		await db.profileRecords.update([profileId, b], {
			envelope: (await db.profileRecords.get([profileId, a]))!.envelope
		});
		await db.profileRecords.update([profileId, a], { kind: 'condition' });
		expect(await vault.getRecord({ profileId, id: b })).toMatchObject({ error: 'undecryptable' });
		expect(await vault.getRecord({ profileId, id: a })).toMatchObject({ error: 'undecryptable' });
	});

	it('lists a profile whose key or patient record is damaged as undecryptable, and the others normally', async () => {
		const { vault, db } = fx;
		const broken = await vault.createProfile(zyx);
		const fine = await vault.createProfile({ name: { family: 'Okafor' } });
		const wrapped = (await db.profiles.get(broken))!.wrappedProfileKey.slice();
		wrapped[wrapped.length - 1]! ^= 0xff;
		await db.profiles.update(broken, { wrappedProfileKey: wrapped });

		const profiles = await vault.listProfiles();
		expect(profiles).toHaveLength(2);
		expect(profiles).toContainEqual({ id: broken, error: 'undecryptable' });
		expect(profiles).toContainEqual({
			id: fine,
			patient: { name: { given: [], family: 'Okafor' }, identifiers: [] }
		});
	});

	// Authentic envelopes (sealed with the profile's own key) whose body is not a stored record,
	// as a buggy or newer client could write: each is a placeholder, never a failed list.
	const stamp = encodeHlc({ ms: 1_700_000_000_000, counter: 0, node: 'device-a' });
	const body = (shape: object) =>
		JSON.stringify({ v: 1, kind: 'observation', fields: {}, conflicts: [], seen: {}, ...shape });
	it.each([
		['not JSON', '{"v":1,'],
		['a field without its value', body({ fields: { note: { hlc: stamp } } })],
		['a field with a malformed stamp', body({ fields: { note: { value: 'a', hlc: 'soon' } } })],
		['fields that are a list', body({ fields: [] })],
		['a conflict without its value', body({ conflicts: [{ field: 'note', hlc: stamp }] })]
	])('shows a placeholder for a sealed body that is %s', async (_, sealed) => {
		const { vault, db, userKeyPair } = fx;
		const profileId = await vault.createProfile(zyx);
		const good = await vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		const bad = await vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		const profile = (await db.profiles.get(profileId))!;
		const profileKey = await unwrapProfileKey({
			wrapped: profile.wrappedProfileKey,
			profileId,
			keyVersion: profile.keyVersion,
			recipient: userKeyPair
		});
		const row = (await db.profileRecords.get([profileId, bad]))!;
		const envelope = await sealEnvelope({
			profileKey,
			binding: recordBinding(row),
			plaintext: new TextEncoder().encode(sealed)
		});
		await db.profileRecords.update([profileId, bad], { envelope });

		const items = await vault.listRecords(profileId);
		expect(items).toHaveLength(2);
		expect(items).toContainEqual({
			id: bad,
			profileId,
			kind: 'observation',
			error: 'undecryptable'
		});
		expect(items).toContainEqual(expect.objectContaining({ id: good, deleted: false }));
	});
});
