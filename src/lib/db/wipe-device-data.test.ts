import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { openDeviceDb } from './device-db.ts';
import { openUserDb } from './user-db.ts';
import { wipeDeviceData } from './wipe-device-data.ts';

describe('wipeDeviceData', () => {
	it('deletes every Charta database, even open ones, and leaves others alone', async () => {
		const user = openUserDb('u1');
		await user.settings.put({ key: 'k', value: 1 });
		const device = openDeviceDb();
		await device.open();
		const notes = new Dexie('charta-notes-u1');
		notes.version(1).stores({ docs: 'id' });
		await notes.open();
		notes.close();
		const other = new Dexie('someone-else');
		other.version(1).stores({ t: 'id' });
		await other.open();
		other.close();

		expect((await Dexie.getDatabaseNames()).sort()).toEqual([
			'charta-device',
			'charta-notes-u1',
			'charta-user-u1',
			'someone-else'
		]);

		await wipeDeviceData();

		expect(await Dexie.getDatabaseNames()).toEqual(['someone-else']);
		expect(user.isOpen()).toBe(false);
		expect(device.isOpen()).toBe(false);
		await Dexie.delete('someone-else');
	});
});
