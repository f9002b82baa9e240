import type { EcPublicJwk, KdfParams } from '../crypto/index.ts';

/**
 * What this device keeps so the person can unlock with no network: the KDF parameters and the
 * private key wrapped by the KEK. Nothing a person typed (no email) and nothing usable without
 * the master password.
 */
export interface DeviceAccount {
	userId: string;
	kdf: KdfParams;
	publicKeyJwk: EcPublicJwk;
	privateKeyWrappedByKek: Uint8Array;
	lastUnlockedAt: number;
}

export interface DeviceAccountStore {
	get(userId: string): Promise<DeviceAccount | undefined>;
	/** The account unlocked most recently on this device, if any. */
	latest(): Promise<DeviceAccount | undefined>;
	put(account: DeviceAccount): Promise<void>;
	delete(userId: string): Promise<void>;
}

/** The user's keys, unwrapped, in memory only while the app is unlocked. */
export interface UnlockedKeys {
	userId: string;
	keyPair: CryptoKeyPair;
}
