import type { RecordData, RecordKind, StoredConflict } from '../shared/records/index.ts';
export type { RecordRef } from '../db/index.ts';

export interface VaultRecord<K extends RecordKind = RecordKind> {
	id: string;
	profileId: string;
	kind: K;
	data: RecordData<K>;
	// Concurrent values that lost to `data`, for the person to keep or discard (issue 4).
	conflicts: StoredConflict[];
	deleted: boolean;
	updatedAt: number;
}

// Narrows by `kind`: `if (item.kind === 'observation') item.data.value`.
export type AnyVaultRecord<K extends RecordKind = RecordKind> = { [P in K]: VaultRecord<P> }[K];

// Shown in the record's place as "This record cannot be decrypted".
export interface UndecryptableRecord {
	id: string;
	profileId: string;
	kind: RecordKind;
	error: 'undecryptable';
}

export type VaultProfile =
	{ id: string; patient: RecordData<'patient'> } | { id: string; error: 'undecryptable' };

// The names the pages use for list items.
export type RecordListItem = AnyVaultRecord | UndecryptableRecord;
export type ProfileListItem = VaultProfile;
