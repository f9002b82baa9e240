import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OwnerOnlyError } from './errors.ts';
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
		expect((await fx.db.records.get(profileId))?.deleted).toBe(true);
		const queued = (await fx.db.outbox.toArray()).filter((row) => row.entityId === profileId);
		expect(queued.map((row) => row.kind)).toEqual(['profile', 'profile']);

		fx.advance(1);
		await fx.vault.restoreProfile(profileId);
		expect((await fx.vault.listProfiles()).map((p) => p.id).sort()).toEqual(
			[profileId, other].sort()
		);
		expect(await fx.vault.getProfile(profileId)).toMatchObject({ patient: zyx });
		expect(await fx.vault.getRecord(recordId)).toMatchObject({ data: glucose, deleted: false });
	});

	it('is the owner’s alone, and a patient record is not deleted as a record', async () => {
		const profileId = await fx.vault.createProfile(zyx);
		await expect(fx.vault.deleteRecord(profileId)).rejects.toThrow(TypeError);
		const recordId = await fx.vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		await expect(fx.vault.deleteProfile(recordId)).rejects.toThrow(TypeError);

		await fx.db.profiles.update(profileId, { role: 'editor' });
		await expect(fx.vault.deleteProfile(profileId)).rejects.toThrow(OwnerOnlyError);
		expect(await fx.vault.getProfile(profileId)).toMatchObject({ patient: zyx });
	});
});
