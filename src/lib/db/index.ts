export {
	openUserDb,
	userDbName,
	USER_DB_PREFIX,
	type UserDb,
	type ProfileRow,
	type OlderProfileKey,
	type RecordRow,
	type RecordRef,
	recordKey,
	recordsOf,
	patientRef,
	type OutboxRow,
	type SettingRow,
	type AttachmentRow,
	type AttachmentChunkRow,
	type ImportRow,
	type ImportState,
	type AnalysisRow
} from './user-db.ts';
export {
	declareUserDbSchema,
	envelopeKeyVersion,
	USER_DB_VERSION,
	UNKNOWN_KEY_VERSION
} from './user-db-schema.ts';
export { openDeviceDb, DEVICE_DB_NAME, type DeviceDb, type AccountRow } from './device-db.ts';
export { wipeDeviceData, CHARTA_DB_PREFIX } from './wipe-device-data.ts';
export { isQuotaExceeded, StorageFullError } from './quota-exceeded.ts';
export {
	writeConflictMarks,
	conflictMarkKey,
	countConflicts,
	listConflictedRecords,
	type ConflictMark
} from './conflict-marks.ts';
export { sameEnvelope } from './same-envelope.ts';
