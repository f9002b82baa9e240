import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { createKdfParams, exportPublicKey } from '../crypto/index.ts';
import { openDeviceDb, wipeDeviceData } from '../db/index.ts';
import { NHS_NUMBER_SYSTEM } from '../shared/records/index.ts';
import { glucose, vaultFixture } from './test-fixture.ts';

function request<T>(req: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
	});
}

// Reads every object store of every database on the origin with the raw IndexedDB API, the way
// someone holding the device's disk could, and renders it all as text: JSON for values, Latin-1
// for bytes, so an ASCII string stored anywhere in plaintext shows up.
async function dumpOrigin(): Promise<string> {
	const parts: string[] = [];
	const render = (value: unknown) =>
		JSON.stringify(value, (_key, item: unknown) =>
			item instanceof Uint8Array ? String.fromCharCode(...item) : item
		);
	for (const { name } of await indexedDB.databases()) {
		const db = await request(indexedDB.open(name!));
		for (const store of Array.from(db.objectStoreNames)) {
			const tx = db.transaction(store, 'readonly');
			parts.push(name!, store, render(await request(tx.objectStore(store).getAllKeys())));
			parts.push(render(await request(tx.objectStore(store).getAll())));
		}
		db.close();
	}
	return parts.join('\n');
}

const MARKERS = [
	'Zyxwvuta',
	'Quorran',
	'rarebird-marker',
	'MRN-77341',
	'943 476 5919',
	'quorran@example.com',
	'Penicillin-bluefin',
	'Glucose',
	'Left-deltoid-marker',
	'Home visit peregrine'
];

afterEach(wipeDeviceData);

describe('data at rest', () => {
	it('holds none of the typed text in plaintext in any database', async () => {
		const fx = await vaultFixture();
		const { vault } = fx;
		const profileId = await vault.createProfile({
			name: { given: ['Zyxwvuta'], family: 'Quorran' },
			identifiers: [
				{ system: 'MRN', value: 'MRN-77341' },
				{ system: NHS_NUMBER_SYSTEM, value: '943 476 5919' }
			],
			email: 'quorran@example.com'
		});
		await vault.saveRecord({
			profileId,
			kind: 'observation',
			data: { ...glucose, note: 'rarebird-marker' }
		});
		await vault.saveRecord({
			profileId,
			kind: 'allergy-intolerance',
			data: { substance: { display: 'Penicillin-bluefin' } }
		});
		const shot = await vault.saveRecord({
			profileId,
			kind: 'immunization',
			data: {
				vaccine: { display: 'MMR' },
				occurrenceDateTime: '2024-01-09',
				site: 'Left-deltoid-marker'
			}
		});
		await vault.deleteRecord({ profileId, id: shot });
		await vault.saveRecord({
			profileId,
			kind: 'note',
			data: { title: 'Home visit peregrine', docId: crypto.randomUUID() }
		});
		const device = openDeviceDb();
		await device.accounts.put({
			userId: 'u1',
			kdf: createKdfParams(),
			publicKeyJwk: await exportPublicKey(fx.userKeyPair.publicKey, 'jwk'),
			privateKeyWrappedByKek: new Uint8Array(64),
			lastUnlockedAt: Date.now()
		});
		device.close();

		const dump = await dumpOrigin();
		// The dump did read the stores: ids and kinds are there, as designed.
		expect(dump).toContain(profileId);
		expect(dump).toContain('allergy-intolerance');
		for (const marker of MARKERS) expect(dump).not.toContain(marker);

		// And the vault still reads them back.
		const listed = await vault.listRecords(profileId);
		expect(JSON.stringify(listed)).toContain('rarebird-marker');
		fx.vault.close();
		fx.db.close();
	});
});
