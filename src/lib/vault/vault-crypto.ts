import {
	generateProfileKey,
	openEnvelope,
	sealEnvelope,
	unwrapProfileKey,
	wrapProfileKey
} from '../crypto/index.ts';

// The crypto the vault calls, replaceable in tests (to count unwraps, or to fail on purpose).
export interface VaultCrypto {
	generateProfileKey: typeof generateProfileKey;
	wrapProfileKey: typeof wrapProfileKey;
	unwrapProfileKey: typeof unwrapProfileKey;
	sealEnvelope: typeof sealEnvelope;
	openEnvelope: typeof openEnvelope;
}

export const defaultVaultCrypto: VaultCrypto = {
	generateProfileKey,
	wrapProfileKey,
	unwrapProfileKey,
	sealEnvelope,
	openEnvelope
};
