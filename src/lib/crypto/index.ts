// The crypto the page, the service worker and the sync-server share. WebCrypto and hash-wasm only.
export * from './errors.ts';
export type { CryptoKey, CryptoKeyPair } from './webcrypto.ts';
export { toBase64Url, fromBase64Url } from './base64url.ts';
export {
	KdfParams,
	Argon2idParams,
	Pbkdf2Params,
	ARGON2ID_DEFAULTS,
	PBKDF2_MIN_ITERATIONS,
	createKdfParams,
	parseKdfParams
} from './kdf-params.ts';
export { deriveMasterKey } from './kdf.ts';
export {
	splitMasterKey,
	MASTER_KEY_BYTES,
	AUTH_KEY_BYTES,
	type AccountKeys
} from './hkdf-split.ts';
export { deriveAccountKeys } from './account-keys.ts';
export {
	EcPublicJwk,
	generateUserKeyPair,
	exportPublicKey,
	importPublicKey,
	exportPrivateKeyPkcs8,
	importPrivateKeyPkcs8
} from './key-pair.ts';
export { jwkThumbprint, safetyCode, formatSafetyCode } from './key-fingerprint.ts';
export { wrapForRecipient, unwrapAsRecipient } from './ecies.ts';
export { sealJobEvent, openJobEvent, type JobEventBinding } from './job-event.ts';
export { wrapPrivateKey, unwrapPrivateKey, rewrapPrivateKey } from './private-key-wrap.ts';
export { createUserKeys, type NewUserKeys } from './user-keys.ts';
export {
	generateProfileKey,
	wrapProfileKey,
	unwrapProfileKey,
	type ProfileKey
} from './profile-key.ts';
export { MAX_KEY_VERSION } from './assert-args.ts';
export {
	sealEnvelope,
	openEnvelope,
	readEnvelopeKeyVersion,
	ENVELOPE_VERSION,
	ENVELOPE_OVERHEAD,
	type EnvelopeBinding
} from './envelope.ts';
export {
	generateRecoveryKey,
	formatRecoveryKey,
	parseRecoveryKey,
	deriveRecoveryWrappingKey,
	deriveRecoveryAuthKey,
	RECOVERY_SECRET_BYTES
} from './recovery-key.ts';
