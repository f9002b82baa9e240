import { Dexie } from 'dexie';
import { generateUserKeyPair } from '../crypto/index.ts';
import { openUserDb, type UserDb } from '../db/index.ts';
import { createClock } from '../hlc/index.ts';
import { createVault } from './create-vault.ts';
import { defaultVaultCrypto, type VaultCrypto } from './vault-crypto.ts';

// Test set-up shared by the vault tests: a fresh database (fake-indexeddb), a user key pair and
// a clock that moves only when told.
export async function vaultFixture(
	options: { crypto?: VaultCrypto; prepareDb?: (db: UserDb) => void } = {}
) {
	const userId = globalThis.crypto.randomUUID();
	const db = openUserDb(userId);
	options.prepareDb?.(db);
	let time = 1_700_000_000_000;
	const clock = createClock({ nodeId: 'device-a', now: () => time });
	const userKeyPair = await generateUserKeyPair();
	const vault = createVault({
		db,
		userKeyPair,
		clock,
		now: () => time,
		crypto: options.crypto ?? defaultVaultCrypto
	});
	return {
		db,
		vault,
		clock,
		userKeyPair,
		advance: (ms: number) => (time += ms),
		async cleanup() {
			vault.close();
			db.close();
			await Dexie.delete(db.name);
		}
	};
}

export const zyx = {
	name: { given: ['Zyxwvuta'], family: 'Quorran' },
	birthDate: '1984-07-02',
	sex: 'female' as const
};

export const glucose = {
	category: 'laboratory' as const,
	code: { code: '2345-7', display: 'Glucose' },
	value: { type: 'quantity' as const, value: 5.4, unit: 'mmol/L' },
	referenceRange: { low: 3.9, high: 5.5 },
	interpretation: 'N' as const,
	effectiveDateTime: '2024-03-15T08:10+00:00'
};
