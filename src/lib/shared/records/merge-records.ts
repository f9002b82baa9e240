import { hlcNode } from '../../hlc/index.ts';
import { canonicalJson } from './canonical-json.ts';
import {
	compareEntries,
	normaliseRecord,
	type StoredConflict,
	type StoredRecord
} from './stored-record.ts';

export class RecordMergeError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'RecordMergeError';
	}
}

type Entry = StoredConflict;

function entriesOf(doc: StoredRecord): Map<string, Entry> {
	const entries = new Map<string, Entry>();
	const add = (entry: Entry) =>
		entries.set(`${entry.field}\u0000${entry.hlc}\u0000${canonicalJson(entry.value)}`, entry);
	for (const [field, { value, hlc }] of Object.entries(doc.fields)) add({ field, value, hlc });
	for (const conflict of doc.conflicts) add(conflict);
	return entries;
}

function covers(seen: Map<string, string>, hlc: string): boolean {
	const newest = seen.get(hlcNode(hlc));
	return newest !== undefined && newest >= hlc;
}

// Per-field last-writer-wins by HLC, keeping concurrent losers as conflicts. The result depends
// only on the two inputs as sets (commutative, associative, idempotent), so replicas that have
// merged the same records in any order and any number of times hold the same bytes.
// Tombstones are a field like any other; see isDeleted for how they combine with edits.
export function mergeRecords(local: StoredRecord, remote: StoredRecord): StoredRecord {
	if (local.kind !== remote.kind) {
		throw new RecordMergeError(`Cannot merge a ${remote.kind} into a ${local.kind} record`);
	}
	const localSeen = new Map(Object.entries(local.seen));
	const remoteSeen = new Map(Object.entries(remote.seen));
	const localEntries = entriesOf(local);
	const remoteEntries = entriesOf(remote);

	// Kept: what both hold, and what one holds that the other has never seen. Dropped: what one
	// holds that the other saw and has since overwritten.
	const kept: Entry[] = [];
	for (const [key, entry] of localEntries) {
		if (remoteEntries.has(key) || !covers(remoteSeen, entry.hlc)) kept.push(entry);
	}
	for (const [key, entry] of remoteEntries) {
		if (!localEntries.has(key) && !covers(localSeen, entry.hlc)) kept.push(entry);
	}

	const byField = new Map<string, Entry[]>();
	for (const entry of kept) byField.set(entry.field, [...(byField.get(entry.field) ?? []), entry]);
	const fields = new Map<string, StoredRecord['fields'][string]>();
	const conflicts: Entry[] = [];
	for (const [field, entries] of byField) {
		const [winner, ...losers] = entries.sort((a, b) => compareEntries(b, a));
		if (!winner) continue;
		fields.set(field, { value: winner.value, hlc: winner.hlc });
		conflicts.push(...losers);
	}

	const seen = new Map(localSeen);
	for (const [node, stamp] of remoteSeen) {
		const mine = seen.get(node);
		if (mine === undefined || stamp > mine) seen.set(node, stamp);
	}
	return normaliseRecord({
		v: 1,
		kind: local.kind,
		fields: Object.fromEntries(fields),
		conflicts,
		seen: Object.fromEntries(seen)
	});
}
