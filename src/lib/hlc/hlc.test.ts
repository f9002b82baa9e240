import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	compareHlc,
	decodeHlc,
	encodeHlc,
	HlcFormatError,
	MAX_HLC_COUNTER,
	MAX_HLC_MS,
	newNodeId,
	type Hlc
} from './hlc.ts';

const node = fc.stringMatching(/^[0-9A-Za-z][0-9A-Za-z_-]{0,15}$/);
const hlc = fc.record({
	ms: fc.integer({ min: 0, max: MAX_HLC_MS }),
	counter: fc.integer({ min: 0, max: MAX_HLC_COUNTER }),
	node
});

function compareTuples(a: Hlc, b: Hlc) {
	if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
	if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1;
	return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
}

describe('HLC encoding', () => {
	it('round-trips every stamp', () => {
		fc.assert(
			fc.property(hlc, (stamp) => {
				expect(decodeHlc(encodeHlc(stamp))).toEqual(stamp);
			})
		);
	});

	it('sorts as strings exactly as (ms, counter, node) tuples do', () => {
		fc.assert(
			fc.property(hlc, hlc, (a, b) => {
				expect(compareHlc(encodeHlc(a), encodeHlc(b))).toBe(compareTuples(a, b));
			})
		);
	});

	it('breaks a tie on time and counter by node id, so the order is total', () => {
		const a = encodeHlc({ ms: 1_700_000_000_000, counter: 3, node: 'alpha' });
		const b = encodeHlc({ ms: 1_700_000_000_000, counter: 3, node: 'beta' });
		expect(compareHlc(a, b)).toBe(-1);
		expect(compareHlc(b, a)).toBe(1);
		expect(compareHlc(a, a)).toBe(0);
	});

	it('is compact and readable', () => {
		expect(encodeHlc({ ms: 1_700_000_000_000, counter: 1, node: 'n1' })).toBe(
			'018bcfe56800-0001-n1'
		);
	});

	it('refuses malformed stamps and node ids', () => {
		for (const bad of ['', '018bcfe56800-0001-', '18bcfe56800-0001-n1', '018bcfe56800-0001-n 1']) {
			expect(() => decodeHlc(bad)).toThrow(HlcFormatError);
		}
		expect(() => encodeHlc({ ms: -1, counter: 0, node: 'n' })).toThrow(HlcFormatError);
		expect(() => encodeHlc({ ms: 0, counter: MAX_HLC_COUNTER + 1, node: 'n' })).toThrow(
			HlcFormatError
		);
		expect(() => encodeHlc({ ms: 0, counter: 0, node: 'a.b' })).toThrow(HlcFormatError);
		// Node ids become object keys in stored records; none may be "__proto__".
		expect(() => encodeHlc({ ms: 0, counter: 0, node: '__proto__' })).toThrow(HlcFormatError);
	});

	it('makes random node ids that are valid and distinct', () => {
		const ids = new Set(Array.from({ length: 100 }, newNodeId));
		expect(ids.size).toBe(100);
		for (const id of ids)
			expect(decodeHlc(encodeHlc({ ms: 1, counter: 0, node: id })).node).toBe(id);
	});
});
