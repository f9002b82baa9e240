import type { Table } from 'dexie';
import type { DeviceAccount, DeviceAccountStore } from './device-account.ts';

/** DeviceAccountStore over the device database's `accounts` table (one row per user). */
export function createDeviceAccountStore(db: {
	accounts: Table<DeviceAccount, string>;
}): DeviceAccountStore {
	return {
		get: (userId) => db.accounts.get(userId),
		async latest() {
			// A handful of rows at most (people who used this device): no index needed.
			const all = await db.accounts.toArray();
			return all.sort((a, b) => b.lastUnlockedAt - a.lastUnlockedAt)[0];
		},
		async put(account) {
			await db.accounts.put(account);
		},
		async delete(userId) {
			await db.accounts.delete(userId);
		}
	};
}
