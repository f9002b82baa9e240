import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createClock, type Clock } from '../../hlc/index.ts';
import { canonicalJson } from './canonical-json.ts';
import { mergeRecords, RecordMergeError } from './merge-records.ts';
import { setDeleted, stampRecord, writeFields } from './stamp-record.ts';
import {
	emptyRecord,
	isDeleted,
	listConflicts,
	readRecord,
	TOMBSTONE_FIELD,
	type StoredRecord
} from './stored-record.ts';

function device(nodeId: string, start = 1_000) {
	let t = start;
	const clock = createClock({ nodeId, now: () => t });
	return { clock, advance: (ms: number) => (t += ms) };
}

const title = (doc: StoredRecord) => (readRecord(doc) as { title?: string }).title;

const base = { title: 'Home visit', docId: '7f1c2b1e-2f4b-4c55-9a53-2a4f0c0f7a10' };

describe('mergeRecords', () => {
	it('takes a later edit made after seeing the earlier one, with no conflict', () => {
		const tablet = device('tablet');
		const phone = device('phone', 2_000);
		const original = stampRecord({ kind: 'note', data: base, clock: tablet.clock });
		const edited = stampRecord({
			kind: 'note',
			data: { ...base, title: 'Clinic' },
			clock: phone.clock,
			base: original
		});
		for (const merged of [mergeRecords(original, edited), mergeRecords(edited, original)]) {
			expect(readRecord(merged)).toEqual({ ...base, title: 'Clinic' });
			expect(listConflicts(merged)).toEqual([]);
		}
	});

	it('merges concurrent edits of different fields without a conflict', () => {
		const tablet = device('tablet');
		const phone = device('phone');
		const original = stampRecord({
			kind: 'condition',
			data: { code: { display: 'Asthma' }, clinicalStatus: 'active' },
			clock: tablet.clock
		});
		tablet.advance(10);
		phone.advance(20);
		const a = stampRecord({
			kind: 'condition',
			data: { ...readRecord(original), severity: 'mild' },
			clock: tablet.clock,
			base: original
		});
		const b = stampRecord({
			kind: 'condition',
			data: { ...readRecord(original), clinicalStatus: 'remission' },
			clock: phone.clock,
			base: original
		});
		const merged = mergeRecords(a, b);
		expect(readRecord(merged)).toEqual({
			code: { display: 'Asthma' },
			clinicalStatus: 'remission',
			severity: 'mild'
		});
		expect(merged.conflicts).toEqual([]);
	});

	it('lets the later concurrent edit of one field win and keeps the other as a conflict', () => {
		const tablet = device('tablet');
		const phone = device('phone');
		const original = stampRecord({ kind: 'note', data: base, clock: tablet.clock });
		tablet.advance(10);
		phone.advance(20);
		const mine = stampRecord({
			kind: 'note',
			data: { ...base, title: 'Mine' },
			clock: tablet.clock,
			base: original
		});
		const theirs = stampRecord({
			kind: 'note',
			data: { ...base, title: 'Theirs' },
			clock: phone.clock,
			base: original
		});
		const merged = mergeRecords(mine, theirs);
		expect(merged).toEqual(mergeRecords(theirs, mine));
		expect(title(merged)).toBe('Theirs');
		expect(listConflicts(merged)).toEqual([
			{ field: 'title', value: 'Mine', hlc: mine.fields.title!.hlc }
		]);

		// Writing the field (keep mine / keep theirs) resolves it, on every replica after a merge.
		const resolved = stampRecord({
			kind: 'note',
			data: { ...base, title: 'Mine' },
			clock: tablet.clock,
			base: merged
		});
		expect(listConflicts(resolved)).toEqual([]);
		expect(listConflicts(mergeRecords(theirs, resolved))).toEqual([]);
		expect(title(mergeRecords(merged, resolved))).toBe('Mine');
	});

	it('keeps a record deleted when the delete is newer than every edit', () => {
		const tablet = device('tablet');
		const phone = device('phone');
		const original = stampRecord({ kind: 'note', data: base, clock: tablet.clock });
		phone.advance(10);
		tablet.advance(20);
		const edited = stampRecord({
			kind: 'note',
			data: { ...base, title: 'Edited' },
			clock: phone.clock,
			base: original
		});
		const deleted = setDeleted({ doc: original, deleted: true, clock: tablet.clock });
		const merged = mergeRecords(edited, deleted);
		expect(isDeleted(merged)).toBe(true);
		// The concurrent edit is inside the tombstone, so undo brings it back.
		expect(title(merged)).toBe('Edited');
	});

	it('brings a record back when an edit is newer than its delete', () => {
		const tablet = device('tablet');
		const phone = device('phone');
		const original = stampRecord({ kind: 'note', data: base, clock: tablet.clock });
		tablet.advance(10);
		phone.advance(20);
		const deleted = setDeleted({ doc: original, deleted: true, clock: tablet.clock });
		const edited = stampRecord({
			kind: 'note',
			data: { ...base, title: 'Edited' },
			clock: phone.clock,
			base: original
		});
		expect(isDeleted(mergeRecords(deleted, edited))).toBe(false);
	});

	it('refuses to merge records of different kinds', () => {
		expect(() => mergeRecords(emptyRecord('note'), emptyRecord('condition'))).toThrow(
			RecordMergeError
		);
	});
});

// Random histories: three devices with skewed clocks write, clear, delete, restore and exchange
// whole records in any order. The merge must be a join (commutative, associative, idempotent),
// every replica must converge, and the converged record must hold exactly the writes that no
// other write superseded — a multi-value register: nothing lost, no spurious conflict.
const NODES = ['n0', 'n1', 'n2'] as const;

type Op =
	| { type: 'write'; at: number; field: string; value: string | null }
	| { type: 'delete'; at: number; deleted: boolean }
	| { type: 'sync'; from: number; to: number }
	| { type: 'time'; ms: number };

const replica = fc.integer({ min: 0, max: NODES.length - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
	fc.record({
		type: fc.constant('write' as const),
		at: replica,
		field: fc.constantFrom('title', 'docId', 'note'),
		value: fc.oneof(fc.constantFrom('a', 'b', 'c'), fc.constant(null))
	}),
	fc.record({ type: fc.constant('delete' as const), at: replica, deleted: fc.boolean() }),
	fc.record({ type: fc.constant('sync' as const), from: replica, to: replica }),
	fc.record({ type: fc.constant('time' as const), ms: fc.integer({ min: 0, max: 3 }) })
);

interface Write {
	key: string;
	field: string;
	supersedes: Set<string>;
}

interface Replica {
	doc: StoredRecord;
	clock: Clock;
	knows: Set<string>;
}

const entryKey = (field: string, hlc: string, value: unknown) =>
	`${field}|${hlc}|${canonicalJson(value)}`;

function entryKeys(doc: StoredRecord): string[] {
	return [
		...Object.entries(doc.fields).map(([field, e]) => entryKey(field, e.hlc, e.value)),
		...doc.conflicts.map((c) => entryKey(c.field, c.hlc, c.value))
	].sort();
}

function run(ops: Op[], skews: number[]) {
	let time = 1_000;
	const replicas: Replica[] = NODES.map((nodeId, i) => ({
		doc: emptyRecord('note'),
		clock: createClock({ nodeId, now: () => time + skews[i]! }),
		knows: new Set()
	}));
	const writes: Write[] = [];
	const snapshots: StoredRecord[] = [];
	const write = (r: Replica, field: string, value: unknown) => {
		const supersedes = new Set([...r.knows].filter((key) => key.startsWith(`${field}|`)));
		r.doc = writeFields({ doc: r.doc, values: { [field]: value as string }, clock: r.clock });
		const entry = r.doc.fields[field]!;
		const key = entryKey(field, entry.hlc, entry.value);
		writes.push({ key, field, supersedes });
		r.knows.add(key);
	};
	for (const step of ops) {
		if (step.type === 'time') time += step.ms;
		else if (step.type === 'write') write(replicas[step.at]!, step.field, step.value);
		else if (step.type === 'delete') {
			const r = replicas[step.at]!;
			const next = setDeleted({ doc: r.doc, deleted: step.deleted, clock: r.clock });
			if (next !== r.doc) {
				// Re-run through the model so the tombstone write is tracked like any other.
				write(r, TOMBSTONE_FIELD, step.deleted);
			}
		} else {
			const from = replicas[step.from]!;
			const to = replicas[step.to]!;
			to.doc = mergeRecords(to.doc, from.doc);
			to.knows = new Set([...to.knows, ...from.knows]);
		}
		snapshots.push(...replicas.map((r) => r.doc));
	}
	return { replicas, writes, snapshots };
}

const same = (a: StoredRecord, b: StoredRecord) => expect(canonicalJson(a)).toBe(canonicalJson(b));

describe('mergeRecords properties', () => {
	const history = fc.record({
		ops: fc.array(op, { maxLength: 60 }),
		skews: fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 3, maxLength: 3 })
	});

	it('is commutative, associative and idempotent on every reachable state', () => {
		fc.assert(
			fc.property(
				history,
				fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
				({ ops, skews }, picks) => {
					const { snapshots } = run(ops, skews);
					if (snapshots.length === 0) return;
					const [a, b, c] = picks.map((i) => snapshots[i % snapshots.length]!) as [
						StoredRecord,
						StoredRecord,
						StoredRecord
					];
					same(mergeRecords(a, b), mergeRecords(b, a));
					same(mergeRecords(mergeRecords(a, b), c), mergeRecords(a, mergeRecords(b, c)));
					same(mergeRecords(a, a), a);
					same(mergeRecords(a, mergeRecords(a, b)), mergeRecords(a, b));
				}
			),
			{ numRuns: 300 }
		);
	});

	it('converges every replica on exactly the writes no other write superseded', () => {
		fc.assert(
			fc.property(history, fc.array(replica, { maxLength: 12 }), ({ ops, skews }, order) => {
				const { replicas, writes } = run(ops, skews);
				// Gossip in a random order, then a full round, as sync eventually does.
				for (const i of order) {
					const r = replicas[i]!;
					for (const other of replicas) r.doc = mergeRecords(r.doc, other.doc);
				}
				const all = replicas.reduce((acc, r) => mergeRecords(acc, r.doc), emptyRecord('note'));
				for (const r of replicas) {
					r.doc = mergeRecords(r.doc, all);
					same(r.doc, all);
				}
				const superseded = new Set(writes.flatMap((w) => [...w.supersedes]));
				const expected = writes
					.filter((w) => !superseded.has(w.key))
					.map((w) => w.key)
					.sort();
				expect(entryKeys(all)).toEqual(expected);
				for (const [field, winner] of Object.entries(all.fields)) {
					for (const loser of all.conflicts.filter((c) => c.field === field)) {
						expect(loser.hlc < winner.hlc).toBe(true);
					}
				}
			}),
			{ numRuns: 300 }
		);
	});
});
