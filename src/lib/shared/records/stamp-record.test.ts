import { describe, expect, it } from 'vitest';
import { createClock, decodeHlc, encodeHlc } from '../../hlc/index.ts';
import { changedFields, setDeleted, stampRecord } from './stamp-record.ts';
import { isDeleted, readRecord, StoredRecord, TOMBSTONE_FIELD } from './stored-record.ts';

function clockAt(nodeId: string, start: number) {
	let t = start;
	const clock = createClock({ nodeId, now: () => t });
	return { clock, advance: (ms: number) => (t += ms) };
}

const note = { title: 'Home visit', docId: '7f1c2b1e-2f4b-4c55-9a53-2a4f0c0f7a10' };

describe('stampRecord', () => {
	it('stamps every field of a new record with one HLC and records it as seen', () => {
		const { clock } = clockAt('tablet', 1_000);
		const doc = stampRecord({ kind: 'note', data: note, clock });
		const hlc = encodeHlc({ ms: 1_000, counter: 0, node: 'tablet' });
		expect(doc).toEqual({
			v: 1,
			kind: 'note',
			fields: { docId: { value: note.docId, hlc }, title: { value: 'Home visit', hlc } },
			conflicts: [],
			seen: { tablet: hlc }
		});
		expect(StoredRecord.parse(doc)).toEqual(doc);
		expect(readRecord(doc)).toEqual(note);
	});

	it('restamps only the fields that changed and keeps the others as they were', () => {
		const { clock, advance } = clockAt('tablet', 1_000);
		const first = stampRecord({ kind: 'note', data: note, clock });
		advance(500);
		const second = stampRecord({
			kind: 'note',
			data: { ...note, title: 'Clinic' },
			clock,
			base: first
		});
		expect(second.fields.docId).toEqual(first.fields.docId);
		expect(decodeHlc(second.fields.title!.hlc).ms).toBe(1_500);
		expect(readRecord(second)).toEqual({ ...note, title: 'Clinic' });
	});

	it('returns the record untouched when nothing changed', () => {
		const { clock } = clockAt('tablet', 1_000);
		const first = stampRecord({ kind: 'note', data: note, clock });
		expect(stampRecord({ kind: 'note', data: { ...note }, clock, base: first })).toBe(first);
	});

	it('clears a field that the new data leaves out, keeping a stamp so the clear merges', () => {
		const { clock } = clockAt('tablet', 1_000);
		const base = stampRecord({
			kind: 'condition',
			data: { code: { display: 'Asthma' }, clinicalStatus: 'active', note: 'Mild' },
			clock
		});
		const cleared = stampRecord({
			kind: 'condition',
			data: { code: { display: 'Asthma' }, clinicalStatus: 'active' },
			clock,
			base
		});
		expect(cleared.fields.note?.value).toBeNull();
		expect(readRecord(cleared)).toEqual({ code: { display: 'Asthma' }, clinicalStatus: 'active' });
	});

	it('compares values structurally, whatever the key order', () => {
		const { clock } = clockAt('tablet', 1_000);
		const base = stampRecord({
			kind: 'condition',
			data: { code: { display: 'A', code: '1' } },
			clock
		});
		expect(changedFields({ base, data: { code: { code: '1', display: 'A' } } })).toEqual({});
	});

	it('stamps after the record’s newest stamp even when this device’s clock lags', () => {
		const ahead = clockAt('tablet', 90_000);
		const behind = clockAt('phone', 1_000);
		const base = stampRecord({ kind: 'note', data: note, clock: ahead.clock });
		const edited = stampRecord({
			kind: 'note',
			data: { ...note, title: 'x' },
			clock: behind.clock,
			base
		});
		expect(edited.fields.title!.hlc > base.fields.title!.hlc).toBe(true);
	});

	it('refuses to write one kind of record into another', () => {
		const { clock } = clockAt('tablet', 1_000);
		const base = stampRecord({ kind: 'note', data: note, clock });
		expect(() => stampRecord({ kind: 'condition', data: {}, clock, base })).toThrow(TypeError);
	});
});

describe('setDeleted', () => {
	it('tombstones and restores with fresh stamps, and does nothing when already so', () => {
		const { clock } = clockAt('tablet', 1_000);
		const doc = stampRecord({ kind: 'note', data: note, clock });
		const deleted = setDeleted({ doc, deleted: true, clock });
		expect(isDeleted(deleted)).toBe(true);
		expect(deleted.fields[TOMBSTONE_FIELD]?.value).toBe(true);
		expect(readRecord(deleted)).toEqual(note);
		expect(setDeleted({ doc: deleted, deleted: true, clock })).toBe(deleted);
		const restored = setDeleted({ doc: deleted, deleted: false, clock });
		expect(isDeleted(restored)).toBe(false);
		expect(readRecord(restored)).toEqual(note);
	});
});
