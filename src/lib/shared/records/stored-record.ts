import { z } from 'zod';
import { isHlc } from '../../hlc/index.ts';
import { canonicalJson } from './canonical-json.ts';
import { RecordKind } from './record-kind.ts';
import type { RecordData } from './record-schemas.ts';

// What a record looks like inside its envelope: each top-level field is a last-writer-wins
// register stamped with the HLC of the write that set it. A cleared field keeps its stamp with
// value null, so clearing merges like any other edit.
//
// `conflicts` holds concurrent values that lost to the one in `fields`; `seen` maps each node to
// the newest stamp from it that this copy has merged. An entry missing from one copy is either
// news to it (its stamp is not covered by that copy's `seen`: keep it) or something it already
// replaced (covered: drop it). That is how a merge tells a concurrent edit, which becomes a
// conflict, from an edit that was made after seeing the other, which simply wins.
export const TOMBSTONE_FIELD = '$deleted';

export const HlcStamp = z.string().refine(isHlc, 'not an HLC stamp');
// Field names are schema keys (or the tombstone); the pattern also keeps "__proto__" out.
export const FIELD_NAME = /^\$?[A-Za-z][A-Za-z0-9]{0,63}$/;
export const FieldName = z.string().regex(FIELD_NAME);

export const StoredField = z.object({ value: z.json(), hlc: HlcStamp });
export type StoredField = z.infer<typeof StoredField>;

export const StoredConflict = z.object({ field: FieldName, value: z.json(), hlc: HlcStamp });
export type StoredConflict = z.infer<typeof StoredConflict>;

export const StoredRecord = z.object({
	v: z.literal(1),
	kind: RecordKind,
	fields: z.record(FieldName, StoredField),
	conflicts: z.array(StoredConflict),
	seen: z.record(z.string(), HlcStamp)
});
export type StoredRecord = z.infer<typeof StoredRecord>;

export function emptyRecord(kind: RecordKind): StoredRecord {
	return { v: 1, kind, fields: {}, conflicts: [], seen: {} };
}

export function fieldEntry(doc: StoredRecord, field: string): StoredField | undefined {
	return Object.hasOwn(doc.fields, field) ? doc.fields[field] : undefined;
}

// The record as a form sees it: set fields only, without stamps or the tombstone. It is not
// re-validated: a merge can join two valid edits into a combination the form will flag on the
// next save, and hiding the record until then would be worse.
export function readRecord<K extends RecordKind>(doc: StoredRecord & { kind: K }): RecordData<K> {
	const data: Record<string, unknown> = {};
	for (const [field, { value }] of Object.entries(doc.fields)) {
		if (field !== TOMBSTONE_FIELD && value !== null) data[field] = value;
	}
	return data as RecordData<K>;
}

// Deleted while the tombstone is the newest write in the record: an edit stamped after a
// delete (made on a device that had not seen it) brings the record back rather than vanishing.
export function isDeleted(doc: StoredRecord): boolean {
	const tombstone = fieldEntry(doc, TOMBSTONE_FIELD);
	if (tombstone?.value !== true) return false;
	const newer = (hlc: string) => hlc > tombstone.hlc;
	return (
		!Object.values(doc.fields).some((entry) => newer(entry.hlc)) &&
		!doc.conflicts.some((entry) => newer(entry.hlc))
	);
}

export function listConflicts(doc: StoredRecord): StoredConflict[] {
	return doc.conflicts.filter((conflict) => conflict.field !== TOMBSTONE_FIELD);
}

export function latestStamp(doc: StoredRecord): string | undefined {
	let latest: string | undefined;
	for (const stamp of Object.values(doc.seen)) {
		if (latest === undefined || stamp > latest) latest = stamp;
	}
	return latest;
}

export function compareEntries(
	a: { hlc: string; value: unknown },
	b: { hlc: string; value: unknown }
): number {
	if (a.hlc !== b.hlc) return a.hlc < b.hlc ? -1 : 1;
	const x = canonicalJson(a.value);
	const y = canonicalJson(b.value);
	return x < y ? -1 : x > y ? 1 : 0;
}

const byKey = <T>(entries: [string, T][]) =>
	Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

// One canonical layout (sorted keys, sorted conflicts), so equal records serialise equally.
export function normaliseRecord(doc: StoredRecord): StoredRecord {
	return {
		v: 1,
		kind: doc.kind,
		fields: byKey(Object.entries(doc.fields)),
		conflicts: [...doc.conflicts].sort(
			(a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0) || compareEntries(a, b)
		),
		seen: byKey(Object.entries(doc.seen))
	};
}
