import { describe, expect, it } from 'vitest';
import type {
	ExtractedRange,
	ExtractedValue
} from '../../../../src/lib/shared/extraction/extraction.ts';
import { interpret } from './flag.ts';

const quantity = (value: number, comparator?: '<' | '>'): ExtractedValue => ({
	type: 'quantity',
	value,
	...(comparator ? { comparator } : {})
});
const range = (
	low: number | undefined,
	high: number | undefined,
	text: string
): ExtractedRange => ({
	...(low === undefined ? {} : { low }),
	...(high === undefined ? {} : { high }),
	text
});
const normal = range(3.5, 5.3, '3.5-5.3');

describe('interpret', () => {
	it('takes the mark the report printed, whatever the range says', () => {
		expect(interpret(quantity(5.0), normal, 'H')).toEqual({
			interpretation: 'H',
			interpretationSource: 'report'
		});
		expect(interpret(quantity(3.0), normal, 'LOW')).toEqual({
			interpretation: 'L',
			interpretationSource: 'report'
		});
		expect(interpret(quantity(9.0), normal, 'HH')).toEqual({
			interpretation: 'HH',
			interpretationSource: 'report'
		});
		expect(interpret(quantity(1.0), normal, 'LL').interpretation).toBe('LL');
	});

	it('gives "*" and critical marks their direction from the range', () => {
		expect(interpret(quantity(6.1), normal, '*').interpretation).toBe('H');
		expect(interpret(quantity(2.9), normal, '*').interpretation).toBe('L');
		expect(interpret(quantity(6.1), undefined, '*').interpretation).toBe('A');
		expect(interpret(quantity(7.5), normal, 'CRIT').interpretation).toBe('HH');
		expect(interpret(quantity(2.0), normal, '!!').interpretation).toBe('LL');
		expect(interpret(quantity(7.5), undefined, 'CRIT').interpretation).toBe('AA');
	});

	it('computes the flag from the range when the report printed none', () => {
		expect(interpret(quantity(5.9), normal, undefined)).toEqual({
			interpretation: 'H',
			interpretationSource: 'range'
		});
		expect(interpret(quantity(3.1), normal, undefined).interpretation).toBe('L');
		expect(interpret(quantity(5.3), normal, undefined).interpretation).toBe('N');
		expect(interpret(quantity(36), range(60, undefined, '>60'), undefined).interpretation).toBe(
			'L'
		);
	});

	it('treats an upper-only "<" range as excluding its limit', () => {
		expect(interpret(quantity(200), range(undefined, 200, '<200'), undefined).interpretation).toBe(
			'H'
		);
		expect(interpret(quantity(199), range(undefined, 200, '<200'), undefined).interpretation).toBe(
			'N'
		);
	});

	it('flags a "<5" or ">90" result only when the whole bound lies on one side', () => {
		expect(interpret(quantity(5, '<'), range(undefined, 5, '<5'), undefined).interpretation).toBe(
			'N'
		);
		expect(
			interpret(quantity(90, '>'), range(60, undefined, '>60'), undefined).interpretation
		).toBe('N');
		expect(interpret(quantity(5, '<'), range(0, 4, '0-4'), undefined)).toEqual({});
	});

	it('compares a qualitative answer with a qualitative range', () => {
		const negative = { text: 'Negative' };
		expect(
			interpret({ type: 'string', value: 'Positive' }, negative, undefined).interpretation
		).toBe('A');
		expect(
			interpret({ type: 'string', value: 'Negative' }, negative, undefined).interpretation
		).toBe('N');
		expect(interpret({ type: 'string', value: 'Yellow' }, undefined, undefined)).toEqual({});
	});
});
