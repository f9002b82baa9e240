import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unwrapProfileKey } from '../crypto/index.ts';
import type { VaultRecord } from './vault-types.ts';
import { RecordValidationError } from '../shared/records/index.ts';
import { ProfileNotFoundError, RecordNotFoundError, VaultLockedError } from './errors.ts';
import { glucose, vaultFixture, zyx } from './test-fixture.ts';
import { defaultVaultCrypto } from './vault-crypto.ts';

let fx: Awaited<ReturnType<typeof vaultFixture>>;
let unwraps = 0;

beforeEach(async () => {
	unwraps = 0;
	fx = await vaultFixture({
		crypto: {
			...defaultVaultCrypto,
			unwrapProfileKey: (args) => {
				unwraps++;
				return unwrapProfileKey(args);
			}
		}
	});
});
afterEach(() => fx.cleanup());

describe('vault profiles', () => {
	it('creates a profile with its key wrapped for the user, its patient record and one outbox row', async () => {
		const { vault, db } = fx;
		const profileId = await vault.createProfile(zyx);

		expect(await vault.listProfiles()).toEqual([
			{ id: profileId, patient: { ...zyx, identifiers: [] } }
		]);
		expect(await vault.getProfile(profileId)).toEqual({
			id: profileId,
			patient: { ...zyx, identifiers: [] }
		});
		const profile = await db.profiles.get(profileId);
		expect(profile).toMatchObject({ id: profileId, keyVersion: 1, deleted: false });
		const key = await unwrapProfileKey({
			wrapped: profile!.wrappedProfileKey,
			profileId,
			keyVersion: 1,
			recipient: fx.userKeyPair
		});
		expect(key.version).toBe(1);

		const outbox = await db.outbox.toArray();
		expect(outbox).toEqual([
			expect.objectContaining({
				profileId,
				entityId: profileId,
				kind: 'profile',
				attempts: 0
			})
		]);
		expect(outbox[0]!.mutationId).toMatch(/^[0-9a-f-]{36}$/);
		// The row names the record; a push sends the record row as it is then.
		expect(outbox[0]).not.toHaveProperty('envelope');
	});

	it('refuses an invalid patient with per-field messages and writes nothing', async () => {
		const error = await fx.vault.createProfile({ name: {}, birthDate: 'soon' }).catch((e) => e);
		expect(error).toBeInstanceOf(RecordValidationError);
		expect(error.fieldErrors).toEqual({
			name: 'Enter a given or family name',
			birthDate: 'Enter a date like 2024-03-15'
		});
		expect(await fx.db.profiles.count()).toBe(0);
		expect(await fx.db.outbox.count()).toBe(0);
	});

	it('edits the patient through saveRecord, keyed by the profile id', async () => {
		const { vault } = fx;
		const profileId = await vault.createProfile(zyx);
		await vault.saveRecord({
			profileId,
			kind: 'patient',
			data: { ...zyx, phone: '+44 20 7946 0958' }
		});
		expect(await vault.getProfile(profileId)).toMatchObject({
			patient: { phone: '+44 20 7946 0958' }
		});
		expect((await fx.db.outbox.toArray()).map((row) => [row.kind, row.entityId])).toEqual([
			['profile', profileId],
			['profile', profileId]
		]);
	});
});

describe('vault records', () => {
	it('saves, reads back and lists records, newest first, without the patient record', async () => {
		const { vault } = fx;
		const profileId = await vault.createProfile(zyx);
		const labId = await vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		fx.advance(1_000);
		const allergyId = await vault.saveRecord({
			profileId,
			kind: 'allergy-intolerance',
			data: { substance: { display: 'Penicillin' }, criticality: 'high' }
		});

		const lab = (await vault.getRecord({ profileId, id: labId })) as VaultRecord<'observation'>;
		expect(lab).toMatchObject({
			id: labId,
			profileId,
			kind: 'observation',
			deleted: false,
			conflicts: []
		});
		expect(lab.data).toEqual({
			...glucose,
			status: 'final',
			code: { ...glucose.code, system: 'http://loinc.org' }
		});

		const all = await vault.listRecords(profileId);
		expect(all.map((item) => item.id)).toEqual([allergyId, labId]);
		const labs = await vault.listRecords(profileId, { kind: 'observation' });
		expect(labs.map((item) => item.id)).toEqual([labId]);
		expect(await vault.getRecord({ profileId, id: 'missing' })).toBeNull();
	});

	it('writes one outbox row per change, in the same commit, and none when nothing changed', async () => {
		const { vault, db } = fx;
		const profileId = await vault.createProfile(zyx);
		const id = await vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		await vault.saveRecord({ profileId, kind: 'observation', id, data: glucose });
		await vault.saveRecord({
			profileId,
			kind: 'observation',
			id,
			data: { ...glucose, note: 'Fasting' }
		});
		const rows = (await db.outbox.toArray()).filter((row) => row.entityId === id);
		expect(rows).toHaveLength(2);
		expect(rows.map((row) => row.kind)).toEqual(['record', 'record']);
		expect(new Set(rows.map((row) => row.mutationId)).size).toBe(2);
	});

	it('keeps the stamps of unchanged fields and restamps only what changed', async () => {
		const { vault, db } = fx;
		const profileId = await vault.createProfile(zyx);
		const id = await vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		const stampsOf = async () => {
			const { openRecord } = await import('./record-envelope.ts');
			const key = await unwrapProfileKey({
				wrapped: (await db.profiles.get(profileId))!.wrappedProfileKey,
				profileId,
				keyVersion: 1,
				recipient: fx.userKeyPair
			});
			const doc = await openRecord({
				crypto: defaultVaultCrypto,
				profileKey: key,
				row: (await db.profileRecords.get([profileId, id]))!
			});
			return Object.fromEntries(Object.entries(doc.fields).map(([f, e]) => [f, e.hlc]));
		};
		const before = await stampsOf();
		fx.advance(60_000);
		await vault.saveRecord({
			profileId,
			kind: 'observation',
			id,
			data: { ...glucose, note: 'Fasting' }
		});
		const after = await stampsOf();
		expect(after.value).toBe(before.value);
		expect(after.code).toBe(before.code);
		expect(after.note! > before.value!).toBe(true);
	});

	it('refuses invalid data with per-field messages and writes neither record nor outbox row', async () => {
		const { vault, db } = fx;
		const profileId = await vault.createProfile(zyx);
		const outboxBefore = await db.outbox.count();
		const error = await vault
			.saveRecord({
				profileId,
				kind: 'observation',
				data: { ...glucose, value: { type: 'quantity', value: 5.4, unit: 'mgdl' } }
			})
			.catch((e) => e);
		expect(error).toBeInstanceOf(RecordValidationError);
		expect(error.fieldErrors).toEqual({
			'value.unit': 'mgdl is not a unit we recognise — try mg/dL'
		});
		expect(await db.profileRecords.count()).toBe(1);
		expect(await db.outbox.count()).toBe(outboxBefore);
	});

	it('deletes with a tombstone and restores, each with an outbox row', async () => {
		const { vault, db } = fx;
		const profileId = await vault.createProfile(zyx);
		const id = await vault.saveRecord({ profileId, kind: 'observation', data: glucose });

		await vault.deleteRecord({ profileId, id });
		expect(await vault.listRecords(profileId)).toEqual([]);
		expect(await vault.getRecord({ profileId, id })).toMatchObject({
			deleted: true,
			data: { code: glucose.code }
		});
		expect((await db.profileRecords.get([profileId, id]))!.deleted).toBe(true);
		expect(await vault.listRecords(profileId, { includeDeleted: true })).toHaveLength(1);

		await vault.restoreRecord({ profileId, id });
		expect((await vault.listRecords(profileId)).map((item) => item.id)).toEqual([id]);
		const rows = (await db.outbox.toArray()).filter((row) => row.entityId === id);
		expect(rows).toHaveLength(3);

		await vault.restoreRecord({ profileId, id });
		expect(await db.outbox.count()).toBe(4);
	});

	it('refuses writes to unknown profiles and records', async () => {
		const { vault } = fx;
		await expect(
			vault.saveRecord({ profileId: 'nope', kind: 'observation', data: glucose })
		).rejects.toBeInstanceOf(ProfileNotFoundError);
		await expect(vault.deleteRecord({ profileId: 'nope', id: 'nope' })).rejects.toBeInstanceOf(
			RecordNotFoundError
		);
		const profileId = await vault.createProfile(zyx);
		await expect(vault.deleteRecord({ profileId, id: 'nope' })).rejects.toBeInstanceOf(
			RecordNotFoundError
		);
		const id = await vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		await expect(
			vault.saveRecord({
				profileId,
				kind: 'note',
				id,
				data: { title: 'x', docId: crypto.randomUUID() }
			})
		).rejects.toBeInstanceOf(RecordNotFoundError);
	});

	it('keeps both tabs’ changes when two save the same record at once', async () => {
		const { vault, db, userKeyPair, clock } = fx;
		const profileId = await vault.createProfile(zyx);
		const id = await vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		const { createVault } = await import('./create-vault.ts');
		const otherTab = createVault({ db, userKeyPair, clock });
		await Promise.all([
			vault.saveRecord({
				profileId,
				kind: 'observation',
				id,
				data: { ...glucose, note: 'Fasting' }
			}),
			otherTab.saveRecord({
				profileId,
				kind: 'observation',
				id,
				data: { ...glucose, specimen: 'Serum' }
			})
		]);
		const record = (await vault.getRecord({ profileId, id })) as VaultRecord<'observation'>;
		expect(record.data).toMatchObject({ note: 'Fasting', specimen: 'Serum' });
		otherTab.close();
	});

	it('writes only what the person changed in the form, not the form’s stale copy of the rest', async () => {
		const { vault } = fx;
		const profileId = await vault.createProfile(zyx);
		const id = await vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		// The form opens with the record as it is now…
		const opened = (await vault.getRecord({ profileId, id })) as VaultRecord<'observation'>;
		// …then sync brings a colleague's corrected value while the form is still open.
		fx.advance(1_000);
		await vault.saveRecord({
			profileId,
			kind: 'observation',
			id,
			data: { ...opened.data, value: { type: 'quantity', value: 6.1, unit: 'mmol/L' } }
		});
		// The person changes only the note and saves the form as it was loaded.
		fx.advance(1_000);
		await vault.saveRecord({
			profileId,
			kind: 'observation',
			id,
			data: { ...opened.data, note: 'Repeat in 3 months' },
			loaded: opened.data
		});
		const saved = (await vault.getRecord({ profileId, id })) as VaultRecord<'observation'>;
		expect(saved.data.note).toBe('Repeat in 3 months');
		expect(saved.data.value).toEqual({ type: 'quantity', value: 6.1, unit: 'mmol/L' });
	});
});

describe('vault keys', () => {
	it('unwraps a profile key once, on first use, and forgets it on close', async () => {
		const { vault } = fx;
		const profileId = await vault.createProfile(zyx);
		expect(unwraps).toBe(0);
		await Promise.all(
			Array.from({ length: 5 }, () =>
				vault.saveRecord({ profileId, kind: 'observation', data: glucose })
			)
		);
		await vault.listRecords(profileId);
		expect(unwraps).toBe(1);

		vault.close();
		await expect(vault.listProfiles()).rejects.toBeInstanceOf(VaultLockedError);
		await expect(vault.listRecords(profileId)).rejects.toBeInstanceOf(VaultLockedError);
		await expect(
			vault.saveRecord({ profileId, kind: 'observation', data: glucose })
		).rejects.toBeInstanceOf(VaultLockedError);
	});
});
