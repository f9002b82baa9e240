export { createVault, type Vault } from './create-vault.ts';
export { openClock, NODE_ID_SETTING } from './open-clock.ts';
export {
	VaultError,
	VaultLockedError,
	ProfileNotFoundError,
	RecordNotFoundError,
	OwnerOnlyError,
	UndecryptableRecordError,
	StorageFullError,
	ConcurrentWriteError,
	RecordExistsError,
	RecordsValidationError
} from './errors.ts';
export type { NewRecord } from './save-records.ts';
export { RecordValidationError } from '../shared/records/index.ts';
export { defaultVaultCrypto, type VaultCrypto } from './vault-crypto.ts';
export type {
	VaultRecord,
	AnyVaultRecord,
	UndecryptableRecord,
	VaultProfile,
	RecordListItem,
	ProfileListItem
} from './vault-types.ts';
