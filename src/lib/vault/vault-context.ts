import type { CryptoKeyPair, ProfileKey } from '../crypto/index.ts';
import type { UserDb } from '../db/index.ts';
import type { Clock } from '../hlc/index.ts';
import type { VaultCrypto } from './vault-crypto.ts';

// What the vault's parts share: its I/O, passed in by createVault.
export interface VaultContext {
	db: UserDb;
	crypto: VaultCrypto;
	clock: Clock;
	userKeyPair: CryptoKeyPair;
	now: () => number;
	newId: () => string;
	// The profile's current key, unwrapped on first use; throws VaultLockedError once closed.
	profileKey: (profileId: string) => Promise<ProfileKey>;
}
