import 'fake-indexeddb/auto';
import type { DBCore } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { UserDb } from '../db/index.ts';
import { StorageFullError } from './errors.ts';
import { glucose, vaultFixture, zyx } from './test-fixture.ts';

// Stands in for a full disk: once armed, every write to the outbox — the last write of each
// change's transaction — fails as browsers fail it, after the record row was already put.
function simulateQuota(db: UserDb) {
	let full = false;
	db.use({
		stack: 'dbcore',
		name: 'simulated-quota',
		create: (down: DBCore): DBCore => ({
			...down,
			table(name) {
				const table = down.table(name);
				if (name !== 'outbox') return table;
				return {
					...table,
					mutate: (request) =>
						full
							? Promise.reject(
									new DOMException('The quota has been exceeded.', 'QuotaExceededError')
								)
							: table.mutate(request)
				};
			}
		})
	});
	return { fill: () => (full = true) };
}

let fx: Awaited<ReturnType<typeof vaultFixture>>;
afterEach(() => fx.cleanup());

async function snapshot(db: UserDb) {
	return {
		profiles: await db.profiles.toArray(),
		records: await db.profileRecords.toArray(),
		outbox: await db.outbox.toArray()
	};
}

describe('a full disk', () => {
	it('turns into StorageFullError and leaves no half-written change, for new and edited records', async () => {
		let quota!: ReturnType<typeof simulateQuota>;
		fx = await vaultFixture({ prepareDb: (db) => (quota = simulateQuota(db)) });
		const { vault, db } = fx;
		const profileId = await vault.createProfile(zyx);
		const id = await vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		const before = await snapshot(db);

		quota.fill();
		await expect(
			vault.saveRecord({
				profileId,
				kind: 'observation',
				id,
				data: { ...glucose, note: 'Fasting' }
			})
		).rejects.toBeInstanceOf(StorageFullError);
		await expect(
			vault.saveRecord({ profileId, kind: 'condition', data: { code: { display: 'Asthma' } } })
		).rejects.toBeInstanceOf(StorageFullError);
		await expect(vault.deleteRecord({ profileId, id })).rejects.toBeInstanceOf(StorageFullError);
		await expect(vault.createProfile({ name: { family: 'Okafor' } })).rejects.toBeInstanceOf(
			StorageFullError
		);

		expect(await snapshot(db)).toEqual(before);
		const item = await vault.getRecord({ profileId, id });
		expect(item && 'data' in item && item.data).not.toHaveProperty('note');
	});

	it('turns into StorageFullError for a batch and keeps none of its records', async () => {
		let quota!: ReturnType<typeof simulateQuota>;
		fx = await vaultFixture({ prepareDb: (db) => (quota = simulateQuota(db)) });
		const { vault, db } = fx;
		const profileId = await vault.createProfile(zyx);
		await vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		const before = await snapshot(db);

		quota.fill();
		await expect(
			vault.saveRecords({
				profileId,
				records: Array.from({ length: 50 }, () => ({ kind: 'observation' as const, data: glucose }))
			})
		).rejects.toBeInstanceOf(StorageFullError);

		expect(await snapshot(db)).toEqual(before);
		expect(await vault.listRecords(profileId)).toHaveLength(1);
	});
});
