import { Dexie } from 'dexie';
import type { CryptoKeyPair } from '../crypto/index.ts';
import type { RecordRow, UserDb } from '../db/index.ts';
import type { Clock } from '../hlc/index.ts';
import {
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
import { ProfileNotFoundError, RecordNotFoundError, VaultLockedError } from './errors.ts';
import { createProfileKeys } from './profile-keys.ts';
import { saveRecords, type NewRecord } from './save-records.ts';
import type { VaultContext } from './vault-context.ts';
import { defaultVaultCrypto, type VaultCrypto } from './vault-crypto.ts';
import type { AnyVaultRecord, UndecryptableRecord, VaultProfile } from './vault-types.ts';
import { writeRecord } from './write-record.ts';

// The encrypted record store the pages call. Plaintext exists only in what these functions take
// and return; IndexedDB sees envelopes and the ids, kinds and timestamps needed to find them.
export function createVault({
	db,
	userKeyPair,
	clock,
	crypto = defaultVaultCrypto,
	now = Date.now,
	newId = () => globalThis.crypto.randomUUID()
}: {
	db: UserDb;
	userKeyPair: CryptoKeyPair;
	clock: Clock;
	crypto?: VaultCrypto;
	now?: () => number;
	newId?: () => string;
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
			return keys.get(profileId);
		}
	};

	async function assertProfile(profileId: string): Promise<void> {
		const profile = await db.profiles.get(profileId);
		if (!profile || profile.deleted) throw new ProfileNotFoundError(profileId);
	}

	async function markDeleted(id: string, deleted: boolean): Promise<void> {
		assertOpen();
		await writeRecord(ctx, {
			id,
			target: (row) => {
				if (!row) throw new RecordNotFoundError(id);
				if (row.kind === 'patient') {
					throw new TypeError('A profile’s own patient record is not deleted on its own');
				}
				return row;
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
			const profiles = (await db.profiles.toArray()).filter((profile) => !profile.deleted);
			return Promise.all(profiles.map(({ id }) => readProfile(ctx, id)));
		},

		async getProfile(profileId: string): Promise<VaultProfile | null> {
			assertOpen();
			const profile = await db.profiles.get(profileId);
			return profile && !profile.deleted ? readProfile(ctx, profileId) : null;
		},

		// Validates (RecordValidationError, nothing written), stamps the changed fields, seals and
		// commits with an outbox row. The patient record's id is its profile's id.
		async saveRecord<K extends RecordKind>({
			profileId,
			kind,
			id,
			data
		}: {
			profileId: string;
			kind: K;
			id?: string;
			data: RecordInput<K>;
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
			await assertProfile(profileId);
			// The changes are taken against the first version read. If another tab commits first,
			// the retry applies these same changes onto its version instead of diffing again, which
			// would write this form's stale copies of that tab's fields back over them.
			let changes: ReturnType<typeof changedFields> | undefined;
			await writeRecord(ctx, {
				id: recordId,
				target: () => ({ profileId, kind }),
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
			return saveRecords(ctx, input);
		},

		deleteRecord: (id: string) => markDeleted(id, true),
		restoreRecord: (id: string) => markDeleted(id, false),

		async getRecord(id: string): Promise<AnyVaultRecord | UndecryptableRecord | null> {
			assertOpen();
			const row = await db.records.get(id);
			return row ? decodeRecord(ctx, row) : null;
		},

		// Newest first. Deleted records are left out unless asked for (undo lists, sync views);
		// the patient record is left out unless its kind is asked for.
		async listRecords<K extends RecordKind = RecordKind>(
			profileId: string,
			{ kind, includeDeleted = false }: { kind?: K; includeDeleted?: boolean } = {}
		): Promise<(AnyVaultRecord<K> | UndecryptableRecord)[]> {
			assertOpen();
			await assertProfile(profileId);
			// Plain toArray is one getAll; a Dexie .filter() walks a cursor row by row, which took
			// 390 ms instead of 240 ms for 10,000 records in Chromium (bench/store, 2026-11).
			const rows: RecordRow[] = kind
				? await db.records.where('[profileId+kind]').equals([profileId, kind]).toArray()
				: (
						await db.records
							.where('[profileId+updatedAt]')
							.between([profileId, Dexie.minKey], [profileId, Dexie.maxKey])
							.toArray()
					).filter((row) => row.kind !== 'patient');
			const visible = rows
				.filter((row) => includeDeleted || !row.deleted)
				.sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : 1));
			const items = await Promise.all(visible.map((row) => decodeRecord(ctx, row)));
			return items as (AnyVaultRecord<K> | UndecryptableRecord)[];
		},

		// Lock: drop every profile key. The database stays open; its owner closes it.
		close(): void {
			closed = true;
			keys.clear();
		}
	};
}

export type Vault = ReturnType<typeof createVault>;
