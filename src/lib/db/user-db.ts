import { Dexie, type EntityTable, type Table } from 'dexie';
import type { RecordKind } from '../shared/records/index.ts';
import { declareUserDbSchema } from './user-db-schema.ts';

export const USER_DB_PREFIX = 'charta-user-';

export interface ProfileRow {
	id: string;
	keyVersion: number;
	// The profile key wrapped for this user's own public key (ECIES).
	wrappedProfileKey: Uint8Array;
	updatedAt: number;
	deleted: boolean;
}

export interface RecordRow {
	id: string;
	profileId: string;
	kind: RecordKind;
	keyVersion: number;
	// A sealed StoredRecord (src/lib/shared/records/stored-record.ts).
	envelope: Uint8Array;
	updatedAt: number;
	deleted: boolean;
}

// One row per change, written in the same transaction as the change; issue 4 pushes them as
// sync protocol v1 mutations (DESIGN.md) and deletes them once the server answers.
export interface OutboxRow {
	seq: number;
	mutationId: string;
	profileId: string;
	entityId: string;
	kind: 'record' | 'profile';
	keyVersion: number;
	envelope: Uint8Array;
	deleted: boolean;
	createdAt: number;
	attempts: number;
	lastError?: string;
}

// Device preferences and bookkeeping only (the HLC node id, lock timeout): never health data.
export interface SettingRow {
	key: string;
	value: string | number | boolean | null;
}

// EntityTable only where the key is generated (outbox.seq); elsewhere the caller supplies it.
export type UserDb = Dexie & {
	profiles: Table<ProfileRow, string>;
	records: Table<RecordRow, string>;
	outbox: EntityTable<OutboxRow, 'seq'>;
	settings: Table<SettingRow, string>;
};

const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function userDbName(userId: string): string {
	if (!USER_ID.test(userId))
		throw new TypeError('A user id is 1–64 characters of A–Z, a–z, 0–9, _ or -');
	return `${USER_DB_PREFIX}${userId}`;
}

// One database per signed-in user, so signing in as someone else on a shared tablet never mixes
// their records, and removing one account's data is one deleteDatabase. Dexie opens it (and
// runs any upgrade) on first use; `await db.open()` to surface open errors earlier.
export function openUserDb(userId: string): UserDb {
	const db = new Dexie(userDbName(userId)) as UserDb;
	declareUserDbSchema(db);
	return db;
}
