import { z } from 'zod';
import { hlcNode, isHlc } from '../../hlc/index.ts';
import { RecordKind } from './record-kind.ts';
import {
	FIELD_NAME,
	FieldName,
	HlcStamp,
	normaliseRecord,
	StoredRecord,
	type StoredField
} from './stored-record.ts';

// How a stored record is written inside its envelope. The first layout (v 1) was StoredRecord
// itself, a stamp beside every field: on a fresh lab result the stamps were 40 % of the bytes
// (1,700 against 1,024 of bare JSON, bench/store 2026-11). The compact layout (v 2) writes each
// distinct stamp once, sorted, and refers to it by position; a field carries the first stamp
// unless `at` names another, so a record written in one go carries one stamp and no positions.
// `seen` becomes positions too, since a stamp names its node; `at` and `conflicts` are left out
// when empty. Records written before still open; every record is written compact.
//
//   { "v": 2, "kind": "observation", "stamps": ["<hlc>", …],
//     "fields": { "<field>": <value>, … },
//     "at": { "<field>": <stamp position other than 0>, … },
//     "conflicts": [["<field>", <value>, <stamp position>], …],
//     "seen": [<stamp position>, …] }
//
// Fields, conflicts and seen keep StoredRecord's canonical order, so equal records encode to
// equal text.

type Value = StoredField['value'];

export function encodeStoredRecord(doc: StoredRecord): string {
	// normaliseRecord's order, without building the normalised copy: writeFields has just made
	// one, and a second was a twentieth of an import's time.
	const names = Object.keys(doc.fields).sort();
	const conflicts = doc.conflicts.length > 1 ? normaliseRecord(doc).conflicts : doc.conflicts;
	const seenStamps = Object.keys(doc.seen)
		.sort()
		.map((node) => doc.seen[node]!);
	const distinct = new Set<string>(seenStamps);
	for (const name of names) distinct.add(doc.fields[name]!.hlc);
	for (const conflict of conflicts) distinct.add(conflict.hlc);
	const stamps = [...distinct].sort();
	const position = new Map(stamps.map((stamp, index) => [stamp, index]));
	const at = (stamp: string) => position.get(stamp)!;
	const fields: Record<string, Value> = {};
	const atPosition: Record<string, number> = {};
	let moved = false;
	for (const name of names) {
		const entry = doc.fields[name]!;
		fields[name] = entry.value;
		const p = at(entry.hlc);
		if (p !== 0) {
			atPosition[name] = p;
			moved = true;
		}
	}
	return JSON.stringify({
		v: 2,
		kind: doc.kind,
		stamps,
		fields,
		...(moved ? { at: atPosition } : {}),
		...(conflicts.length > 0
			? { conflicts: conflicts.map((c) => [c.field, c.value, at(c.hlc)]) }
			: {}),
		seen: seenStamps.map(at)
	});
}

// Every record listed is decoded, so the compact layout is checked by hand: zod took two thirds
// of decoding 10,000 lab results (170 of 255 ms in Node, more in a page whose CSP rules out its
// compiled validators). The checks are the schema's: a known kind, well-formed stamps, schema-like
// field names (which also keeps "__proto__" out), every value present, every position in range.
// The first layout keeps its zod schema; values come from JSON.parse, so they are only checked
// to be present (walking each one with z.json() was ≈ 40 % of validating a listed record).
const JsonValue = z.custom<Value>((value) => value !== undefined);
const FirstLayout = StoredRecord.extend({
	fields: z.record(FieldName, z.object({ value: JsonValue, hlc: HlcStamp })),
	conflicts: z.array(z.object({ field: FieldName, value: JsonValue, hlc: HlcStamp }))
});

export class RecordFormatError extends TypeError {
	constructor(message: string) {
		super(message);
		this.name = 'RecordFormatError';
	}
}

const KINDS: ReadonlySet<unknown> = new Set(RecordKind.options);
const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);
const isTuple = (value: unknown, length: number): value is unknown[] =>
	Array.isArray(value) && value.length === length;

function decodeCompact(doc: Record<string, unknown>): StoredRecord {
	const { kind, stamps, fields, at = {}, conflicts = [], seen } = doc;
	if (!KINDS.has(kind)) throw new RecordFormatError('Unknown record kind');
	if (!Array.isArray(stamps) || !stamps.every(isHlc)) {
		throw new RecordFormatError('Stamps must be a list of HLC stamps');
	}
	if (!isObject(fields) || !isObject(at) || !Array.isArray(conflicts) || !Array.isArray(seen)) {
		throw new RecordFormatError('A record needs fields and seen; at and conflicts are optional');
	}
	const stamp = (position: unknown): string => {
		if (typeof position !== 'number' || !Number.isInteger(position) || position < 0) {
			throw new RecordFormatError('A stamp position must be a whole number');
		}
		const hlc = stamps[position] as string | undefined;
		if (hlc === undefined) throw new RecordFormatError(`No stamp at position ${position}`);
		return hlc;
	};
	const fieldName = (name: unknown): string => {
		if (typeof name !== 'string' || !FIELD_NAME.test(name)) {
			throw new RecordFormatError('Invalid field name');
		}
		return name;
	};
	const present = (value: unknown): Value => {
		if (value === undefined) throw new RecordFormatError('A field has no value');
		return value as Value;
	};

	const out: StoredRecord = {
		v: 1,
		kind: kind as RecordKind,
		fields: {},
		conflicts: [],
		seen: {}
	};
	for (const name of Object.keys(fields)) {
		out.fields[fieldName(name)] = {
			value: present(fields[name]),
			hlc: stamp(Object.hasOwn(at, name) ? at[name] : 0)
		};
	}
	for (const name of Object.keys(at)) {
		if (!Object.hasOwn(out.fields, name)) throw new RecordFormatError(`No field ${name} to stamp`);
	}
	for (const entry of conflicts) {
		if (!isTuple(entry, 3)) throw new RecordFormatError('A conflict is [field, value, position]');
		out.conflicts.push({
			field: fieldName(entry[0]),
			value: present(entry[1]),
			hlc: stamp(entry[2])
		});
	}
	for (const position of seen) {
		const hlc = stamp(position);
		const node = hlcNode(hlc);
		if (Object.hasOwn(out.seen, node)) throw new RecordFormatError(`Node ${node} seen twice`);
		out.seen[node] = hlc;
	}
	return out;
}

// The record inside a decrypted envelope, in either layout; anything else throws.
export function decodeStoredRecord(text: string): StoredRecord {
	const parsed: unknown = JSON.parse(text);
	if (!isObject(parsed)) throw new RecordFormatError('Not a stored record');
	if (parsed.v === 1) return FirstLayout.parse(parsed);
	if (parsed.v === 2) return decodeCompact(parsed);
	throw new RecordFormatError(`Unknown record layout ${String(parsed.v)}`);
}
