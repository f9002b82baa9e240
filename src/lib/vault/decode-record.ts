import { patientRef, recordKey, type RecordRow } from '../db/index.ts';
import { isDeleted, listConflicts, readRecord } from '../shared/records/index.ts';
import { ProfileNotFoundError } from './errors.ts';
import { isUndecryptable, openRecord } from './record-envelope.ts';
import type { VaultContext } from './vault-context.ts';
import type { AnyVaultRecord, UndecryptableRecord, VaultProfile } from './vault-types.ts';

// A row the vault cannot open becomes a placeholder, so one damaged record never hides the rest.
export async function decodeRecord(
	ctx: VaultContext,
	row: RecordRow
): Promise<AnyVaultRecord | UndecryptableRecord> {
	const { id, profileId, kind } = row;
	try {
		const profileKey = await ctx.profileKey(profileId);
		const doc = await openRecord({ crypto: ctx.crypto, profileKey, row });
		return {
			id,
			profileId,
			kind,
			data: readRecord(doc),
			conflicts: listConflicts(doc),
			deleted: isDeleted(doc),
			updatedAt: row.updatedAt
		} as AnyVaultRecord;
	} catch (error) {
		if (isUndecryptable(error) || error instanceof ProfileNotFoundError) {
			return { id, profileId, kind, error: 'undecryptable' };
		}
		throw error;
	}
}

export async function readProfile(ctx: VaultContext, id: string): Promise<VaultProfile> {
	const row = await ctx.db.profileRecords.get(recordKey(patientRef(id)));
	const item = row ? await decodeRecord(ctx, row) : undefined;
	return item && 'data' in item && item.kind === 'patient'
		? { id, patient: item.data }
		: { id, error: 'undecryptable' };
}
