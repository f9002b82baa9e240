import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordValidationError } from '../shared/records/index.ts';
import {
	ProfileNotFoundError,
	RecordExistsError,
	RecordsValidationError,
	VaultLockedError
} from './errors.ts';
import type { NewRecord } from './save-records.ts';
import { glucose, vaultFixture, zyx } from './test-fixture.ts';
import { openUserDb, USER_DB_PREFIX } from '../db/index.ts';
import { defaultVaultCrypto } from './vault-crypto.ts';

let fx: Awaited<ReturnType<typeof vaultFixture>>;
beforeEach(async () => {
	fx = await vaultFixture();
});
afterEach(() => fx.cleanup());

const batch: NewRecord[] = [
	{ kind: 'observation', data: glucose },
	{
		kind: 'observation',
		data: {
			...glucose,
			code: { display: 'Sodium' },
			value: { type: 'quantity', value: 139, unit: 'mmol/L' }
		}
	},
	{ kind: 'condition', data: { code: { display: 'Asthma' } } }
];

async function counts() {
	return { records: await fx.db.profileRecords.count(), outbox: await fx.db.outbox.count() };
}

describe('saving many records at once', () => {
	it('saves a batch that reads back like records saved one by one', async () => {
		const { vault } = fx;
		const profileId = await vault.createProfile(zyx);
		const single = await vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		const ids = await vault.saveRecords({ profileId, records: batch });

		expect(ids).toHaveLength(3);
		expect(new Set(ids).size).toBe(3);
		const one = await vault.getRecord({ profileId, id: single });
		const many = await vault.getRecord({ profileId, id: ids[0]! });
		expect(many).toEqual({ ...one, id: ids[0] });
		expect(await vault.getRecord({ profileId, id: ids[2]! })).toMatchObject({
			kind: 'condition',
			data: { code: { display: 'Asthma' } },
			deleted: false,
			conflicts: []
		});
		const listed = await vault.listRecords(profileId);
		expect(listed.map((item) => item.id).sort()).toEqual([single, ...ids].sort());
	});

	it('keeps ids it is given and stamps them so a later edit restamps only what changed', async () => {
		const { vault } = fx;
		const profileId = await vault.createProfile(zyx);
		const [id] = await vault.saveRecords({
			profileId,
			records: [{ kind: 'observation', id: 'lab-2024-03-15-glucose', data: glucose }]
		});
		expect(id).toBe('lab-2024-03-15-glucose');
		fx.advance(60_000);
		await vault.saveRecord({
			profileId,
			kind: 'observation',
			id: id!,
			data: { ...glucose, note: 'Fasting' }
		});
		expect(await vault.getRecord({ profileId, id: id! })).toMatchObject({
			data: { note: 'Fasting', value: glucose.value }
		});
		const outbox = (await fx.db.outbox.toArray()).filter((row) => row.entityId === id);
		expect(outbox).toHaveLength(2);
	});

	it('queues the whole batch as one outbox row naming every record, in the same commit', async () => {
		const { vault, db } = fx;
		const profileId = await vault.createProfile(zyx);
		const before = await db.outbox.count();
		const ids = await vault.saveRecords({ profileId, records: batch });

		const rows = (await db.outbox.toArray()).slice(before);
		expect(rows).toHaveLength(1);
		const record = (await db.profileRecords.get([profileId, ids[0]!]))!;
		expect(rows[0]).toMatchObject({
			profileId,
			entityId: ids[0],
			entityIds: ids,
			kind: 'record',
			attempts: 0,
			createdAt: record.updatedAt
		});
	});

	it('refuses a batch with invalid records, naming each one, and writes none of it', async () => {
		const { vault } = fx;
		const profileId = await vault.createProfile(zyx);
		const before = await counts();
		const error = await vault
			.saveRecords({
				profileId,
				records: [
					batch[0]!,
					{
						kind: 'observation',
						data: { ...glucose, value: { type: 'quantity', value: 5.4, unit: 'mgdl' } }
					},
					batch[2]!,
					{ kind: 'condition', data: { code: { display: '' } } }
				]
			})
			.catch((e: unknown) => e);

		expect(error).toBeInstanceOf(RecordsValidationError);
		expect(error).toBeInstanceOf(RecordValidationError);
		expect((error as RecordsValidationError).invalid).toEqual([
			{
				index: 1,
				kind: 'observation',
				fieldErrors: { 'value.unit': 'mgdl is not a unit we recognise — try mg/dL' }
			},
			{ index: 3, kind: 'condition', fieldErrors: { 'code.display': expect.any(String) } }
		]);
		expect(await counts()).toEqual(before);
	});

	it('refuses ids that are stored already or given twice, and writes none of the batch', async () => {
		const { vault } = fx;
		const profileId = await vault.createProfile(zyx);
		const existing = await vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		const before = await counts();

		const stored = await vault
			.saveRecords({ profileId, records: [batch[0]!, { ...batch[1]!, id: existing }] })
			.catch((e: unknown) => e);
		expect(stored).toBeInstanceOf(RecordExistsError);
		expect((stored as RecordExistsError).recordIds).toEqual([existing]);

		const twice = await vault
			.saveRecords({
				profileId,
				records: [
					{ ...batch[0]!, id: 'a' },
					{ ...batch[2]!, id: 'a' }
				]
			})
			.catch((e: unknown) => e);
		expect(twice).toBeInstanceOf(RecordExistsError);
		await expect(
			vault.saveRecords({ profileId, records: [{ ...batch[0]!, id: 'not an id' }] })
		).rejects.toBeInstanceOf(TypeError);
		expect(await counts()).toEqual(before);
		expect(await vault.getRecord({ profileId, id: existing })).toMatchObject({
			data: { value: glucose.value }
		});
	});

	// IndexedDB orders the two tabs' transactions: the batch either commits whole before the other
	// tab's write, or fails whole on the id that write took. Never a mix.
	it('keeps a batch whole when another tab writes one of its ids while it is being sealed', async () => {
		let armed = false;
		let otherTab: Promise<unknown> | undefined;
		let storedWhenOtherTabWrote: number | undefined;
		await fx.cleanup();
		fx = await vaultFixture({
			crypto: {
				...defaultVaultCrypto,
				async sealEnvelope(args) {
					if (armed && !otherTab) {
						// Another tab: its own connection to the same database, not awaited here (it
						// cannot run until this batch's transaction ends).
						const other = openUserDb(fx.db.name.slice(USER_DB_PREFIX.length));
						otherTab = Dexie.ignoreTransaction(() =>
							other.transaction('rw', other.profileRecords, async () => {
								storedWhenOtherTabWrote = await other.profileRecords.count();
								await other.profileRecords.put({
									id: 'contested',
									profileId: args.binding.profileId,
									kind: 'observation',
									keyVersion: 1,
									envelope: new Uint8Array([1, 0, 0, 0, 1]),
									updatedAt: 0,
									deleted: false
								});
							})
						).finally(() => other.close());
					}
					return defaultVaultCrypto.sealEnvelope(args);
				}
			}
		});
		const { vault, db } = fx;
		const profileId = await vault.createProfile(zyx);
		const records = [batch[0]!, { ...batch[1]!, id: 'contested' }];
		armed = true;
		const error = await vault.saveRecords({ profileId, records }).then(
			() => undefined,
			(e: unknown) => e
		);
		await otherTab;
		expect((await db.profileRecords.get([profileId, 'contested']))!.updatedAt).toBe(0);
		if (error === undefined) {
			// The batch went first and whole: patient + both records were there.
			expect(storedWhenOtherTabWrote).toBe(3);
		} else {
			expect(error).toBeInstanceOf(RecordExistsError);
			expect((error as RecordExistsError).recordIds).toEqual(['contested']);
			expect(storedWhenOtherTabWrote).toBe(1);
			expect(await db.profileRecords.count()).toBe(2);
			expect(await db.outbox.count()).toBe(1);
		}
	});

	it('refuses the patient kind, unknown profiles and a locked vault', async () => {
		const { vault } = fx;
		const profileId = await vault.createProfile(zyx);
		await expect(
			vault.saveRecords({
				profileId,
				records: [{ kind: 'patient', data: zyx } as unknown as NewRecord]
			})
		).rejects.toBeInstanceOf(TypeError);
		await expect(vault.saveRecords({ profileId: 'nope', records: batch })).rejects.toBeInstanceOf(
			ProfileNotFoundError
		);
		expect(await vault.saveRecords({ profileId, records: [] })).toEqual([]);
		vault.close();
		await expect(vault.saveRecords({ profileId, records: batch })).rejects.toBeInstanceOf(
			VaultLockedError
		);
	});
});
