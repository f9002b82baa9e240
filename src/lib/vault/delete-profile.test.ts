import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OwnerOnlyError, RecordNotFoundError } from './errors.ts';
import { glucose, vaultFixture, zyx } from './test-fixture.ts';

let fx: Awaited<ReturnType<typeof vaultFixture>>;
beforeEach(async () => {
	fx = await vaultFixture();
});
afterEach(() => fx.cleanup());

describe('deleting a whole patient', () => {
	it('hides the patient, queues the tombstone for sync, and Undo brings everything back', async () => {
		const profileId = await fx.vault.createProfile(zyx);
		const other = await fx.vault.createProfile({ ...zyx, name: { family: 'Other' } });
		const recordId = await fx.vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		fx.advance(1);

		await fx.vault.deleteProfile(profileId);
		expect((await fx.vault.listProfiles()).map((p) => p.id)).toEqual([other]);
		expect(await fx.vault.getProfile(profileId)).toBeNull();
		expect((await fx.db.profileRecords.get([profileId, profileId]))?.deleted).toBe(true);
		const queued = (await fx.db.outbox.toArray()).filter((row) => row.entityId === profileId);
		expect(queued.map((row) => row.kind)).toEqual(['profile', 'profile']);

		fx.advance(1);
		await fx.vault.restoreProfile(profileId);
		expect((await fx.vault.listProfiles()).map((p) => p.id).sort()).toEqual(
			[profileId, other].sort()
		);
		expect(await fx.vault.getProfile(profileId)).toMatchObject({ patient: zyx });
		expect(await fx.vault.getRecord({ profileId, id: recordId })).toMatchObject({
			data: glucose,
			deleted: false
		});
	});

	it('is the owner’s alone, and a patient record is not deleted as a record', async () => {
		const profileId = await fx.vault.createProfile(zyx);
		await expect(fx.vault.deleteRecord({ profileId, id: profileId })).rejects.toThrow(TypeError);
		const recordId = await fx.vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		// deleteProfile names the patient record [profileId, profileId]: a record's id names no
		// profile, so it is refused as not found (it was a TypeError when ids alone named records),
		// and the record stays as it was.
		await expect(fx.vault.deleteProfile(recordId)).rejects.toBeInstanceOf(RecordNotFoundError);
		expect(await fx.vault.getRecord({ profileId, id: recordId })).toMatchObject({
			data: glucose,
			deleted: false
		});

		await fx.db.profiles.update(profileId, { role: 'editor' });
		await expect(fx.vault.deleteProfile(profileId)).rejects.toThrow(OwnerOnlyError);
		expect(await fx.vault.getProfile(profileId)).toMatchObject({ patient: zyx });
	});
});
