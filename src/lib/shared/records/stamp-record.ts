import type { z } from 'zod';
import { hlcNode, type Clock } from '../../hlc/index.ts';
import { canonicalClone, canonicalJson } from './canonical-json.ts';
import type { RecordKind } from './record-kind.ts';
import {
	emptyRecord,
	isDeleted,
	latestStamp,
	normaliseRecord,
	readRecord,
	TOMBSTONE_FIELD,
	type StoredRecord
} from './stored-record.ts';

type Json = z.core.util.JSONType;

// Writes the given fields with one new stamp, replacing each field's value and any conflicts on
// it (writing a field is how a person resolves its conflict). The stamp is made after every
// stamp already in the record, so the write wins even if this device's clock lags the record's
// last writer, and two tabs sharing a node id still never reuse a stamp on one record.
export function writeFields({
	doc,
	values,
	clock
}: {
	doc: StoredRecord;
	values: Record<string, Json>;
	clock: Clock;
}): StoredRecord {
	const written = Object.keys(values);
	if (written.length === 0) return doc;
	const latest = latestStamp(doc);
	const hlc = latest === undefined ? clock.tick() : clock.receive(latest);
	const fields = new Map(Object.entries(doc.fields));
	for (const field of written) fields.set(field, { value: values[field] ?? null, hlc });
	const seen = new Map(Object.entries(doc.seen));
	seen.set(hlcNode(hlc), hlc);
	return normaliseRecord({
		v: 1,
		kind: doc.kind,
		fields: Object.fromEntries(fields),
		conflicts: doc.conflicts.filter((conflict) => !written.includes(conflict.field)),
		seen: Object.fromEntries(seen)
	});
}

// The fields of `data` that differ from `base`; a field `data` leaves out is cleared (null).
export function changedFields({
	base,
	data
}: {
	base: StoredRecord;
	data: Record<string, unknown>;
}): Record<string, Json> {
	return changedData({ before: readRecord(base), data });
}

// The fields of `data` that differ from `before` (a record's data as read, without stamps).
export function changedData({
	before,
	data
}: {
	before: Record<string, unknown>;
	data: Record<string, unknown>;
}): Record<string, Json> {
	const changes: Record<string, Json> = {};
	const names = new Set([...Object.keys(data), ...Object.keys(before)]);
	names.delete(TOMBSTONE_FIELD);
	const valueOf = (from: Record<string, unknown>, field: string) =>
		Object.hasOwn(from, field) && from[field] !== undefined ? from[field] : null;
	for (const field of names) {
		const next = valueOf(data, field);
		const current = valueOf(before, field);
		// The value as storage will hold it: keys sorted, undefined members dropped.
		if (current === null) {
			const copy = canonicalClone(next);
			if (copy !== null) changes[field] = copy as Json;
			continue;
		}
		const nextJson = canonicalJson(next);
		if (nextJson !== canonicalJson(current)) changes[field] = JSON.parse(nextJson) as Json;
	}
	return changes;
}

// Stamps a record's data: every field of a new record, only the changed fields of an existing
// one (unchanged fields keep their stamps, so they cannot beat a concurrent edit elsewhere).
// Returns `base` itself when nothing changed.
export function stampRecord({
	kind,
	data,
	clock,
	base
}: {
	kind: RecordKind;
	data: Record<string, unknown>;
	clock: Clock;
	base?: StoredRecord;
}): StoredRecord {
	const start = base ?? emptyRecord(kind);
	if (start.kind !== kind) {
		throw new TypeError(`Cannot write ${kind} fields into a ${start.kind} record`);
	}
	return writeFields({ doc: start, values: changedFields({ base: start, data }), clock });
}

export function setDeleted({
	doc,
	deleted,
	clock
}: {
	doc: StoredRecord;
	deleted: boolean;
	clock: Clock;
}): StoredRecord {
	if (isDeleted(doc) === deleted) return doc;
	return writeFields({ doc, values: { [TOMBSTONE_FIELD]: deleted }, clock });
}
