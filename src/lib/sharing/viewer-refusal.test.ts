import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { glucose, vaultFixture, zyx } from '../vault/test-fixture.ts';
import { ReadOnlyProfileError } from './errors.ts';
import { readProfileAccess } from './profile-access.ts';

let fx: Awaited<ReturnType<typeof vaultFixture>>;
beforeEach(async () => {
	fx = await vaultFixture();
});
afterEach(() => fx.cleanup());

describe('the vault on a profile this user may only read', () => {
	it('refuses every kind of write from a viewer with ReadOnlyProfileError, and queues nothing', async () => {
		const profileId = await fx.vault.createProfile(zyx);
		const recordId = await fx.vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		await fx.db.profiles.update(profileId, { role: 'viewer' });
		const queued = await fx.db.outbox.count();

		const attempts = [
			() => fx.vault.saveRecord({ profileId, kind: 'observation', data: glucose }),
			() => fx.vault.saveRecord({ profileId, kind: 'observation', id: recordId, data: glucose }),
			() => fx.vault.saveRecord({ profileId, kind: 'patient', data: zyx }),
			() => fx.vault.saveRecords({ profileId, records: [{ kind: 'observation', data: glucose }] }),
			() => fx.vault.deleteRecord({ profileId, id: recordId }),
			() => fx.vault.restoreRecord({ profileId, id: recordId })
		];
		for (const attempt of attempts) {
			const error = await attempt().catch((e: unknown) => e);
			expect(error).toBeInstanceOf(ReadOnlyProfileError);
			expect(error).toMatchObject({
				reason: 'viewer',
				message: 'You can view this patient’s records but not change them.'
			});
		}
		expect(await fx.db.outbox.count()).toBe(queued);
		// Reading is what a viewer does.
		expect(await fx.vault.getRecord({ profileId, id: recordId })).toMatchObject({ data: glucose });
		expect(await fx.vault.listRecords(profileId)).toHaveLength(1);
	});

	it('refuses writes to a profile the user was removed from', async () => {
		const profileId = await fx.vault.createProfile(zyx);
		await fx.db.profiles.update(profileId, { role: 'editor', revoked: true });
		await expect(
			fx.vault.saveRecord({ profileId, kind: 'observation', data: glucose })
		).rejects.toMatchObject({
			reason: 'revoked',
			message: 'You no longer have access to this patient.'
		});
	});

	it('lets owners, editors and rows from before sharing write', async () => {
		const profileId = await fx.vault.createProfile(zyx);
		for (const role of ['owner', 'editor', undefined] as const) {
			await fx.db.profiles.update(profileId, { role });
			await fx.vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		}
		expect(await fx.vault.listRecords(profileId)).toHaveLength(3);
	});

	it('tells the pages what the user may do', async () => {
		const profileId = await fx.vault.createProfile(zyx);
		expect(await readProfileAccess(fx.db, profileId)).toEqual({
			role: 'owner',
			revoked: false,
			canEdit: true,
			canManage: true
		});
		await fx.db.profiles.update(profileId, { role: 'viewer' });
		expect(await readProfileAccess(fx.db, profileId)).toMatchObject({
			canEdit: false,
			canManage: false
		});
		await fx.db.profiles.update(profileId, { role: 'editor', revoked: true });
		expect(await readProfileAccess(fx.db, profileId)).toMatchObject({
			revoked: true,
			canEdit: false
		});
		expect(await readProfileAccess(fx.db, 'no-such-profile')).toBeNull();
	});
});
