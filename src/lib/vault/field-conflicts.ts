import { listConflictedRecords, recordKey, type RecordRef } from '../db/index.ts';
import { decodeHlc, hlcNode } from '../hlc/index.ts';
import { listConflicts, writeFields, type StoredRecord } from '../shared/records/index.ts';
import { fieldEntry } from '../shared/records/stored-record.ts';
import { decodeRecord } from './decode-record.ts';
import { RecordNotFoundError, VaultError } from './errors.ts';
import { openRecord } from './record-envelope.ts';
import type { VaultContext } from './vault-context.ts';
import type { AnyVaultRecord, UndecryptableRecord } from './vault-types.ts';
import { writeRecord } from './write-record.ts';

type Json = StoredRecord['fields'][string]['value'];

// One of the values a conflicted field holds. Which device wrote it is read from its HLC stamp:
// the stamp's node is the writing device's clock id, so "this device" means this clock wrote it
// (the same node id across tabs of one browser profile), and anything else came from another
// device, of this person or of another member.
export interface ConflictValue {
	value: Json;
	hlc: string;
	thisDevice: boolean;
	// When it was written, by the writing device's clock (ms since 1970).
	writtenAt: number;
}

export interface FieldConflict {
	field: string;
	// What the record shows now (the newest write), then the concurrent values that lost to it.
	current: ConflictValue;
	others: ConflictValue[];
}

// The chosen value is no longer among the field's values (another device resolved or edited it
// meanwhile): read the record again and choose among what it holds now.
export class ConflictChangedError extends VaultError {
	constructor(
		readonly recordId: string,
		readonly field: string
	) {
		super(
			'This field was changed again on another device meanwhile. Look at the versions again, then choose.'
		);
	}
}

function conflictsOf(doc: StoredRecord, nodeId: string): FieldConflict[] {
	const describe = ({ value, hlc }: { value: Json; hlc: string }): ConflictValue => ({
		value,
		hlc,
		thisDevice: hlcNode(hlc) === nodeId,
		writtenAt: decodeHlc(hlc).ms
	});
	const byField = new Map<string, FieldConflict>();
	for (const conflict of listConflicts(doc)) {
		const current = fieldEntry(doc, conflict.field);
		if (!current) continue;
		const entry = byField.get(conflict.field) ?? {
			field: conflict.field,
			current: describe(current),
			others: []
		};
		entry.others.push(describe(conflict));
		byField.set(conflict.field, entry);
	}
	return [...byField.values()];
}

export async function readFieldConflicts(
	ctx: VaultContext,
	ref: RecordRef
): Promise<FieldConflict[]> {
	const row = await ctx.db.profileRecords.get(recordKey(ref));
	if (!row) throw new RecordNotFoundError(ref.id);
	const doc = await openRecord({
		crypto: ctx.crypto,
		profileKey: await ctx.profileKey(row.profileId),
		row
	});
	return conflictsOf(doc, ctx.clock.nodeId);
}

// Keeps one of a conflicted field's values by writing it again with a new stamp. writeFields
// stamps after every stamp in the record and drops the field's conflicts, and this device has
// merged every value it shows, so its `seen` covers them all: merged into any other replica the
// write wins and that replica drops the same values, which clears the conflict everywhere.
// Returns false when the field holds no conflict any more (already resolved here or elsewhere).
export async function resolveConflict(
	ctx: VaultContext,
	{ profileId, id, field, keep }: RecordRef & { field: string; keep: string }
): Promise<boolean> {
	return writeRecord(ctx, {
		ref: { profileId, id },
		kindOf: (row) => {
			if (!row) throw new RecordNotFoundError(id);
			return row.kind;
		},
		update: (base) => {
			if (!base) throw new RecordNotFoundError(id);
			const conflict = conflictsOf(base, ctx.clock.nodeId).find((c) => c.field === field);
			if (!conflict) return base;
			const chosen = [conflict.current, ...conflict.others].find((value) => value.hlc === keep);
			if (!chosen) throw new ConflictChangedError(id, field);
			return writeFields({ doc: base, values: { [field]: chosen.value }, clock: ctx.clock });
		}
	});
}

// Records holding an unresolved conflict, of one profile or all, from the conflict marks (so
// only those records are decrypted).
export async function readConflictedRecords(
	ctx: VaultContext,
	profileId?: string
): Promise<(AnyVaultRecord | UndecryptableRecord)[]> {
	const marks = await listConflictedRecords(ctx.db, profileId);
	const rows = await ctx.db.profileRecords.bulkGet(marks.map(recordKey));
	return Promise.all(rows.flatMap((row) => (row ? [decodeRecord(ctx, row)] : [])));
}
