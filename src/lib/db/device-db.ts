import { Dexie, type Table } from 'dexie';
import type { EcPublicJwk, KdfParams } from '../crypto/index.ts';

export const DEVICE_DB_NAME = 'charta-device';

// What unlocking offline needs, and nothing a person typed: no email, no name. The unlock screen
// offers the accounts by userId (the most recently unlocked first); the password then re-derives
// the KEK from `kdf` and opens `privateKeyWrappedByKek`.
export interface AccountRow {
	userId: string;
	kdf: KdfParams;
	publicKeyJwk: EcPublicJwk;
	privateKeyWrappedByKek: Uint8Array;
	lastUnlockedAt: number;
}

export type DeviceDb = Dexie & { accounts: Table<AccountRow, string> };

// Opens on first use, like openUserDb.
export function openDeviceDb(): DeviceDb {
	const db = new Dexie(DEVICE_DB_NAME) as DeviceDb;
	db.version(1).stores({ accounts: 'userId, lastUnlockedAt' });
	return db;
}
