import type { RecordRef, RecordRow } from '../db/index.ts';
import {
	isDeleted,
	listConflicts,
	type RecordKind,
	type StoredRecord
} from '../shared/records/index.ts';
import { commitChange, type OutboxEntry } from './commit-change.ts';
import { RecordNotFoundError } from './errors.ts';
import { openRecord, sealRecord, syncKindOf } from './record-envelope.ts';
import type { VaultContext } from './vault-context.ts';

export function outboxEntry(
	ctx: VaultContext,
	row: Pick<RecordRow, 'id' | 'profileId' | 'kind'>,
	createdAt: number
): OutboxEntry {
	return {
		mutationId: ctx.newId(),
		profileId: row.profileId,
		entityId: row.id,
		kind: syncKindOf(row.kind),
		createdAt,
		attempts: 0
	};
}

// Every change to a record goes through here: open what is stored, let `update` stamp the new
// version (returning it unchanged means "nothing to do"), seal it, and commit it together with
// its outbox row. `kindOf` names the record's kind given what is stored (undefined: not stored).
export async function writeRecord(
	ctx: VaultContext,
	{
		ref,
		kindOf,
		update
	}: {
		ref: RecordRef;
		kindOf: (row: RecordRow | undefined) => RecordKind;
		update: (base: StoredRecord | undefined) => StoredRecord | undefined;
	}
): Promise<boolean> {
	const { profileId, id } = ref;
	return commitChange({
		db: ctx.db,
		ref,
		prepare: async (current) => {
			const kind = kindOf(current);
			if (current && current.kind !== kind) throw new RecordNotFoundError(id);
			const profileKey = await ctx.profileKey(profileId);
			const base = current
				? await openRecord({ crypto: ctx.crypto, profileKey, row: current })
				: undefined;
			const doc = update(base);
			if (!doc || doc === base) return undefined;
			const envelope = await sealRecord({
				crypto: ctx.crypto,
				profileKey,
				row: { id, profileId, kind },
				doc
			});
			const updatedAt = ctx.now();
			const row: RecordRow = {
				id,
				profileId,
				kind,
				keyVersion: profileKey.version,
				envelope,
				updatedAt,
				deleted: isDeleted(doc)
			};
			return {
				row,
				outbox: outboxEntry(ctx, row, updatedAt),
				conflicted: listConflicts(doc).length > 0
			};
		}
	});
}
