import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createClock, encodeHlc, hlcNode } from '../../hlc/index.ts';
import { decodeStoredRecord, encodeStoredRecord, RecordFormatError } from './record-codec.ts';
import { stampRecord } from './stamp-record.ts';
import { normaliseRecord, type StoredRecord } from './stored-record.ts';

const NODES = ['tablet-1', 'phone-2', 'node_3'];
const stamp = fc
	.record({
		ms: fc.integer({ min: 0, max: 2 ** 40 }),
		counter: fc.integer({ min: 0, max: 20 }),
		node: fc.constantFrom(...NODES)
	})
	.map(encodeHlc);
const value = fc.oneof(
	fc.constant(null),
	fc.string(),
	fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
	fc.boolean(),
	fc.dictionary(fc.constantFrom('code', 'display', 'unit'), fc.string())
);
const fieldName = fc.constantFrom('code', 'value', 'note', 'status', '$deleted');

// Any record a merge can produce: fields, conflicts and a `seen` stamp per node.
const storedRecord: fc.Arbitrary<StoredRecord> = fc
	.record({
		kind: fc.constantFrom('observation', 'patient', 'condition') as fc.Arbitrary<
			StoredRecord['kind']
		>,
		fields: fc.dictionary(fieldName, fc.record({ value, hlc: stamp })),
		conflicts: fc.array(fc.record({ field: fieldName, value, hlc: stamp }), { maxLength: 3 }),
		extraSeen: fc.array(stamp, { maxLength: 3 })
	})
	.map(({ kind, fields, conflicts, extraSeen }) => {
		const seen: Record<string, string> = {};
		const stamps = [
			...Object.values(fields).map((entry) => entry.hlc),
			...conflicts.map((conflict) => conflict.hlc),
			...extraSeen
		];
		for (const hlc of stamps) {
			const node = hlcNode(hlc);
			if (!(node in seen) || seen[node]! < hlc) seen[node] = hlc;
		}
		return { v: 1 as const, kind, fields, conflicts, seen };
	});

const lab = {
	category: 'laboratory',
	status: 'final',
	code: { code: '2345-7', display: 'Glucose [Moles/volume] in Serum or Plasma' },
	value: { type: 'quantity', value: 6.1, unit: 'mmol/L' },
	referenceRange: { low: 3.9, high: 5.5 },
	interpretation: 'H',
	effectiveDateTime: '2024-03-01T08:00+00:00',
	specimen: 'Serum'
};

describe('stored record codec', () => {
	it('decodes what it encodes, in canonical order, for any record', () => {
		fc.assert(
			fc.property(storedRecord, (doc) => {
				const text = encodeStoredRecord(doc);
				expect(decodeStoredRecord(text)).toEqual(normaliseRecord(doc));
				expect(encodeStoredRecord(decodeStoredRecord(text))).toBe(text);
			}),
			{ numRuns: 300 }
		);
	});

	it('still opens records written in the first layout', () => {
		fc.assert(
			fc.property(storedRecord, (doc) => {
				expect(decodeStoredRecord(JSON.stringify(doc))).toEqual(doc);
			}),
			{ numRuns: 100 }
		);
	});

	it('writes a record saved in one go with one stamp, close to its bare JSON size', () => {
		const doc = stampRecord({
			kind: 'observation',
			data: lab,
			clock: createClock({ nodeId: 'f3b1c2d4-tablet' })
		});
		const compact = encodeStoredRecord(doc);
		const parsed = JSON.parse(compact) as { stamps: string[]; at?: unknown; conflicts?: unknown };
		expect(parsed.stamps).toHaveLength(1);
		expect(parsed.at).toBeUndefined();
		expect(parsed.conflicts).toBeUndefined();
		const bare = JSON.stringify(lab).length;
		expect(compact.length).toBeLessThan(bare + 130);
		expect(compact.length).toBeLessThan(JSON.stringify(doc).length * 0.8);
	});

	const hlc = encodeHlc({ ms: 1, counter: 0, node: 'tablet-1' });
	const otherOfSameNode = encodeHlc({ ms: 2, counter: 0, node: 'tablet-1' });
	const compact = (overrides: Record<string, unknown>) =>
		JSON.stringify({
			v: 2,
			kind: 'observation',
			stamps: [hlc],
			fields: { status: 'final' },
			seen: [0],
			...overrides
		});

	it('accepts a well-formed compact record', () => {
		expect(decodeStoredRecord(compact({})).fields.status).toEqual({ value: 'final', hlc });
	});

	it.each([
		['a stamp position past the table', { at: { status: 1 } }],
		['a field stamped by position that is not a field', { at: { note: 0 } }],
		['positions given as a list', { at: [1] }],
		['a negative position', { seen: [-1] }],
		['a fractional position', { conflicts: [['status', 'x', 0.5]] }],
		['a malformed stamp', { stamps: ['yesterday'] }],
		['two seen stamps of one node', { stamps: [hlc, otherOfSameNode], seen: [0, 1] }],
		['a field name that is not a schema key', { fields: { __proto__x: ['final', 0] } }],
		['an unknown kind', { kind: 'prescription' }],
		['an unknown layout version', { v: 3 }],
		['a field stamped without any stamps', { stamps: [], seen: [] }],
		['fields given as a list', { fields: ['final'] }],
		['stamps that are not a list', { stamps: hlc }],
		['a conflict without its stamp', { conflicts: [['status', 'x']] }],
		['a record without seen', { seen: undefined }]
	])('refuses %s', (_, overrides) => {
		expect(() => decodeStoredRecord(compact(overrides))).toThrow();
	});

	it('refuses a "__proto__" field, which JSON.parse makes an own property', () => {
		const text = compact({}).replace('"status"', '"__proto__"');
		expect(text).toContain('"__proto__":"final"');
		expect(() => decodeStoredRecord(text)).toThrow(RecordFormatError);
	});

	it('refuses text that is not JSON', () => {
		expect(() => decodeStoredRecord('{"v":2,')).toThrow(SyntaxError);
	});
});
