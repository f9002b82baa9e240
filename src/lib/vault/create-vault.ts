import type { CryptoKeyPair, ProfileKey } from '../crypto/index.ts';
import {
	patientRef,
	recordKey,
	recordsOf,
	type ProfileRow,
	type RecordRef,
	type UserDb
} from '../db/index.ts';
import type { Clock } from '../hlc/index.ts';
import {
	changedData,
	changedFields,
	emptyRecord,
	parseRecord,
	setDeleted,
	writeFields,
	type RecordInput,
	type RecordKind
} from '../shared/records/index.ts';
import { createProfile } from './create-profile.ts';
import { decodeRecord, readProfile } from './decode-record.ts';
import { ENTITY_ID } from './entity-id.ts';
import {
	OwnerOnlyError,
	ProfileNotFoundError,
	RecordNotFoundError,
	VaultLockedError
} from './errors.ts';
import {
	readConflictedRecords,
	readFieldConflicts,
	resolveConflict,
	type FieldConflict
} from './field-conflicts.ts';
import { listPendingChanges, type PendingChange } from './pending-changes.ts';
import { createProfileKeys } from './profile-keys.ts';
import { saveRecords, type NewRecord } from './save-records.ts';
import type { VaultContext } from './vault-context.ts';
import { defaultVaultCrypto, type VaultCrypto } from './vault-crypto.ts';
import type { AnyVaultRecord, UndecryptableRecord, VaultProfile } from './vault-types.ts';
import { writeRecord } from './write-record.ts';
import { ReadOnlyProfileError } from '../sharing/errors.ts';
import { createProfileKeyRing, type ProfileKeyRing } from '../sync/profile-key-ring.ts';
import { createSyncApi } from '../sync/sync-api.ts';

// The encrypted record store the pages call. Plaintext exists only in what these functions take
// and return; IndexedDB sees envelopes and the ids, kinds and timestamps needed to find them.
export function createVault({
	db,
	userKeyPair,
	clock,
	crypto = defaultVaultCrypto,
	now = Date.now,
	newId = () => globalThis.crypto.randomUUID(),
	fetch
}: {
	db: UserDb;
	userKeyPair: CryptoKeyPair;
	clock: Clock;
	crypto?: VaultCrypto;
	now?: () => number;
	newId?: () => string;
	// For older profile keys, from the server (profileKeyFor); the global fetch unless given.
	fetch?: typeof globalThis.fetch;
}) {
	let closed = false;
	const keys = createProfileKeys({ db, userKeyPair, crypto });
	const assertOpen = () => {
		if (closed) throw new VaultLockedError();
	};
	const ctx: VaultContext = {
		db,
		crypto,
		clock,
		userKeyPair,
		now,
		newId,
		profileKey: async (profileId) => {
			assertOpen();
			const key = await keys.get(profileId);
			keyVersions.set(profileId, key.version);
			return key;
		}
	};

	// A key rotation (src/lib/sync/follow-key-rotation.ts) moves a profile's row and records to a
	// new version, perhaps in the tab that syncs: a cached key of another version is dropped
	// before it opens or seals anything.
	const keyVersions = new Map<string, number>();
	let olderKeys: ProfileKeyRing | undefined;
	function checkKeyVersion(profile: ProfileRow): void {
		const cached = keyVersions.get(profile.id);
		if (cached !== undefined && cached !== profile.keyVersion) {
			keys.clear();
			keyVersions.clear();
		}
	}

	async function assertProfile(profileId: string): Promise<void> {
		const profile = await db.profiles.get(profileId);
		if (!profile || profile.deleted) throw new ProfileNotFoundError(profileId);
		checkKeyVersion(profile);
	}

	// Viewers and removed members may not write (the server refuses it too): refused here, before
	// anything reaches the outbox. Rows without a role predate sharing and are their owner's.
	async function assertWritable(profileId: string): Promise<void> {
		const profile = await db.profiles.get(profileId);
		if (!profile || profile.deleted) throw new ProfileNotFoundError(profileId);
		if (profile.revoked) throw new ReadOnlyProfileError(profileId, 'revoked');
		if (profile.role === 'viewer') throw new ReadOnlyProfileError(profileId, 'viewer');
		checkKeyVersion(profile);
	}

	async function assertWritableRecord(ref: RecordRef): Promise<void> {
		if (await db.profileRecords.get(recordKey(ref))) await assertWritable(ref.profileId);
	}

	// A record's tombstone. The patient record is its profile's own: deleting it deletes the
	// patient (deleteProfile), which only the owner may do, and every member's device then hides
	// the profile once the change syncs; its records stay sealed on the device for Undo.
	async function markDeleted(ref: RecordRef, deleted: boolean, patient = false): Promise<void> {
		assertOpen();
		const { profileId, id } = ref;
		await assertWritableRecord(ref);
		if (patient) {
			const role = (await db.profiles.get(profileId))?.role ?? 'owner';
			if (role !== 'owner') throw new OwnerOnlyError(profileId);
		}
		await writeRecord(ctx, {
			ref,
			kindOf: (row) => {
				if (!row || (patient && row.kind !== 'patient')) throw new RecordNotFoundError(id);
				if (!patient && row.kind === 'patient') {
					throw new TypeError('A profile’s own patient record is deleted with deleteProfile');
				}
				return row.kind;
			},
			update: (base) => base && setDeleted({ doc: base, deleted, clock })
		});
	}

	return {
		async createProfile(patient: RecordInput<'patient'>): Promise<string> {
			assertOpen();
			return createProfile(ctx, patient);
		},

		async listProfiles(): Promise<VaultProfile[]> {
			assertOpen();
			// A profile this user was removed from is not listed; its page says so.
			const profiles = (await db.profiles.toArray()).filter(
				(profile) => !profile.deleted && !profile.revoked
			);
			profiles.forEach(checkKeyVersion);
			const patients = await db.profileRecords.bulkGet(
				profiles.map(({ id }) => recordKey(patientRef(id)))
			);
			const listed = profiles.filter((_, index) => !patients[index]?.deleted);
			return Promise.all(listed.map(({ id }) => readProfile(ctx, id)));
		},

		// Null for a profile this device does not hold, or whose patient was deleted.
		async getProfile(profileId: string): Promise<VaultProfile | null> {
			assertOpen();
			const profile = await db.profiles.get(profileId);
			if (!profile || profile.deleted) return null;
			if ((await db.profileRecords.get(recordKey(patientRef(profileId))))?.deleted) return null;
			checkKeyVersion(profile);
			return readProfile(ctx, profileId);
		},

		// Validates (RecordValidationError, nothing written), stamps the changed fields, seals and
		// commits with an outbox row. The patient record's id is its profile's id.
		async saveRecord<K extends RecordKind>({
			profileId,
			kind,
			id,
			data,
			loaded
		}: {
			profileId: string;
			kind: K;
			id?: string;
			data: RecordInput<K>;
			// The record's data as the form showed it. Only fields the person changed from it are
			// written: a field that sync (or another tab) changed while the form was open keeps
			// that newer value instead of being written back with the form's stale copy.
			loaded?: Record<string, unknown>;
		}): Promise<string> {
			assertOpen();
			const parsed = (await parseRecord(kind, data)) as Record<string, unknown>;
			const recordId = kind === 'patient' ? profileId : (id ?? newId());
			if (
				(kind === 'patient' && id !== undefined && id !== profileId) ||
				!ENTITY_ID.test(recordId)
			) {
				throw new TypeError(`Invalid record id for a ${kind}`);
			}
			await assertWritable(profileId);
			// The changes are taken against what the form loaded, or else the first version read. If
			// another tab commits first, the retry applies these same changes onto its version
			// instead of diffing again, which would write this form's stale copies back over them.
			let changes: ReturnType<typeof changedFields> | undefined =
				loaded && changedData({ before: loaded, data: parsed });
			await writeRecord(ctx, {
				ref: { profileId, id: recordId },
				kindOf: () => kind,
				update: (base) => {
					const doc = base ?? emptyRecord(kind);
					changes ??= changedFields({ base: doc, data: parsed });
					return writeFields({ doc, values: changes, clock });
				}
			});
			return recordId;
		},

		// Many new records in one commit (a lab report's results): all validated first, then one
		// transaction for the records and their outbox rows. See save-records.ts.
		async saveRecords(input: {
			profileId: string;
			records: readonly NewRecord[];
		}): Promise<string[]> {
			assertOpen();
			await assertWritable(input.profileId);
			return saveRecords(ctx, input);
		},

		// A record is named by its profile and id (`RecordRef`); a listed record is one.
		deleteRecord: (ref: RecordRef) => markDeleted(ref, true),
		restoreRecord: (ref: RecordRef) => markDeleted(ref, false),
		deleteProfile: (profileId: string) => markDeleted(patientRef(profileId), true, true),
		restoreProfile: (profileId: string) => markDeleted(patientRef(profileId), false, true),

		async getRecord(ref: RecordRef): Promise<AnyVaultRecord | UndecryptableRecord | null> {
			assertOpen();
			const row = await db.profileRecords.get(recordKey(ref));
			if (!row) return null;
			const profile = await db.profiles.get(ref.profileId);
			if (profile) checkKeyVersion(profile);
			return decodeRecord(ctx, row);
		},

		// Newest first. Deleted records are left out unless asked for (undo lists, sync views);
		// the patient record is left out unless its kind is asked for.
		async listRecords<K extends RecordKind = RecordKind>(
			profileId: string,
			{ kind, includeDeleted = false }: { kind?: K; includeDeleted?: boolean } = {}
		): Promise<(AnyVaultRecord<K> | UndecryptableRecord)[]> {
			assertOpen();
			await assertProfile(profileId);
			// The profile's rows in one getAll, filtered here: a Dexie .filter() walks a cursor row by
			// row, which took 390 ms instead of 240 ms for 10,000 records in Chromium (bench/store,
			// 2026-11). Reading in pages of 1,000 (opening one while IndexedDB read the next) was
			// slower still: 623 ms against 555 for reading and opening 10,000.
			const rows = await recordsOf(db, profileId).toArray();
			const visible = rows
				.filter((row) => (kind ? row.kind === kind : row.kind !== 'patient'))
				.filter((row) => includeDeleted || !row.deleted)
				.sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : 1));
			const items = await Promise.all(visible.map((row) => decodeRecord(ctx, row)));
			return items as (AnyVaultRecord<K> | UndecryptableRecord)[];
		},

		// Conflicts (issue 4): each conflicted field with its values, labelled this device / another
		// device; resolveConflict keeps the value whose stamp is `keep` (field-conflicts.ts).
		async fieldConflicts(ref: RecordRef): Promise<FieldConflict[]> {
			assertOpen();
			return readFieldConflicts(ctx, ref);
		},

		async resolveConflict(input: RecordRef & { field: string; keep: string }): Promise<boolean> {
			assertOpen();
			await assertWritableRecord(input);
			return resolveConflict(ctx, input);
		},

		async listConflictedRecords(
			profileId?: string
		): Promise<(AnyVaultRecord | UndecryptableRecord)[]> {
			assertOpen();
			return readConflictedRecords(ctx, profileId);
		},

		// A profile key of any version (issue 5: an attachment's chunks keep the version they were
		// sealed under). The current one is on this device; older ones are wrapped for this user
		// on the server (GET /v1/profiles), so those need a connection.
		async profileKeyFor(profileId: string, version: number): Promise<ProfileKey> {
			assertOpen();
			const current = await ctx.profileKey(profileId);
			if (current.version === version) return current;
			olderKeys ??= createProfileKeyRing({
				db,
				userKeyPair,
				crypto,
				api: createSyncApi({ fetch })
			});
			return olderKeys.get(profileId, version);
		},

		// The outbox, for the "Offline changes" page.
		async listPendingChanges(): Promise<PendingChange[]> {
			assertOpen();
			return listPendingChanges(ctx);
		},

		// Lock: drop every profile key. The database stays open; its owner closes it.
		close(): void {
			closed = true;
			keys.clear();
			olderKeys = undefined;
		}
	};
}

export type Vault = ReturnType<typeof createVault>;
