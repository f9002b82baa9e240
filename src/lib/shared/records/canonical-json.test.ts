import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalClone, canonicalJson } from './canonical-json.ts';

// Values a form or a zod parse can hand to stamping: JSON, plus the things JSON drops or turns
// into null (undefined members, NaN, -0) and keys JSON.parse keeps as own properties.
const loose = fc.letrec((tie) => ({
	value: fc.oneof(
		{ depthSize: 'small' },
		fc.constantFrom(null, undefined, Number.NaN, -0, Infinity, true, false),
		fc.string(),
		fc.double(),
		fc.array(tie('value'), { maxLength: 4 }),
		fc.dictionary(
			fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', 'b', 'a')),
			tie('value'),
			{ maxKeys: 5 }
		)
	)
})).value;

describe('canonical JSON', () => {
	it('clones a value exactly as a round trip through canonical JSON text would', () => {
		fc.assert(
			fc.property(loose, (value) => {
				const viaText = JSON.parse(canonicalJson(value)) as unknown;
				const clone = canonicalClone(value);
				expect(clone).toEqual(viaText);
				expect(JSON.stringify(clone)).toBe(JSON.stringify(viaText));
			}),
			{ numRuns: 500 }
		);
	});

	it('keeps a "__proto__" key as data, never as the copy’s prototype', () => {
		const value = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as object;
		const clone = canonicalClone(value) as Record<string, unknown>;
		expect(Object.getPrototypeOf(clone)).toBe(Object.prototype);
		expect(Object.keys(clone)).toEqual(['__proto__', 'a']);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});
