import { describe, expect, it } from 'vitest';
import { parseNumber } from './parse-number.ts';
import { parseRange } from './parse-range.ts';

const dot = { decimalComma: false };
const comma = { decimalComma: true };

describe('parseRange', () => {
	it.each([
		['3.5-5.3', { low: 3.5, high: 5.3 }],
		['3.5 - 5.3', { low: 3.5, high: 5.3 }],
		['(3.5 - 5.3)', { low: 3.5, high: 5.3 }],
		['[3.5-5.3]', { low: 3.5, high: 5.3 }],
		['3.5 to 5.3', { low: 3.5, high: 5.3 }],
		['<200', { high: 200 }],
		['(<5.0)', { high: 5 }],
		['>60', { low: 60 }],
		['[>90]', { low: 90 }],
		['up to 40', { high: 40 }]
	])('reads %s', (text, limits) => {
		const parsed = parseRange(text, dot);
		expect(parsed?.range).toMatchObject(limits);
		expect(parsed?.length).toBe(text.length);
	});

	it('reads decimal commas when the report writes them', () => {
		expect(parseRange('3,50 - 5,10', comma)?.range).toMatchObject({ low: 3.5, high: 5.1 });
	});

	it('hands back a unit printed inside the brackets', () => {
		expect(parseRange('(3.5-5.3 mmol/L) H', dot)).toMatchObject({
			range: { low: 3.5, high: 5.3 },
			unit: 'mmol/L',
			length: 16
		});
	});

	it('reads a bracketed qualitative range', () => {
		expect(parseRange('(Negative)', dot)?.range).toEqual({ text: 'Negative' });
	});

	it('refuses a reversed range, a lone number and text', () => {
		expect(parseRange('5.3-3.5', dot)).toBeUndefined();
		expect(parseRange('140', dot)).toBeUndefined();
		expect(parseRange('(IFCC)', dot)).toBeUndefined();
	});
});

describe('parseNumber', () => {
	it('reads decimal points, decimal commas and thousands separators', () => {
		expect(parseNumber('4.5', dot)).toBe(4.5);
		expect(parseNumber('4,5', dot)).toBe(4.5);
		expect(parseNumber('150,000', dot)).toBe(150000);
		expect(parseNumber('1.234,5', comma)).toBe(1234.5);
		expect(parseNumber('-2.1', dot)).toBe(-2.1);
		expect(parseNumber('1.2.3', dot)).toBeUndefined();
	});
});
