import { Dexie } from 'dexie';

// Every database this app creates is named charta-… (user, device, and later notes and imports).
export const CHARTA_DB_PREFIX = 'charta-';

// "Remove this device's data". Dexie lists databases with indexedDB.databases() where it exists
// and from its own register where it does not (Firefox before 126). Deleting waits for other
// connections to close: Dexie closes its own on `versionchange`, in this tab and in others.
export async function wipeDeviceData(): Promise<void> {
	const names = (await Dexie.getDatabaseNames()).filter((name) =>
		name.startsWith(CHARTA_DB_PREFIX)
	);
	await Promise.all(names.map((name) => Dexie.delete(name)));
}
