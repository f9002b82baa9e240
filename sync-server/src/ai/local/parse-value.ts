import type {
	Comparator,
	ExtractedValue
} from '../../../../src/lib/shared/extraction/extraction.ts';
import { NUMBER, parseNumber, type NumberStyle } from './parse-number.ts';

export type ParsedValue = {
	value: ExtractedValue;
	length: number;
	// A unit written against the number ("140mmol/L", "5.4%").
	attachedUnit?: string;
};

const COMPARATORS: Record<string, Comparator> = {
	'<': '<',
	'<=': '<=',
	'≤': '<=',
	'>': '>',
	'>=': '>=',
	'≥': '>='
};
const QUANTITY = new RegExp(`^(<=|>=|≤|≥|<|>)?\\s*(${NUMBER})([^\\s\\d.,][^\\s]*)?(?=\\s|$)`);

// Answers reports print for ordinal and nominal tests, longest first so "not detected" is not
// read as "not".
const QUALITATIVE = new RegExp(
	'^(' +
		[
			'not detected',
			'non[- ]?reactive',
			'none seen',
			'no growth',
			'mixed growth',
			'slightly cloudy',
			'pale yellow',
			'dark yellow',
			'negative',
			'positive',
			'detected',
			'reactive',
			'equivocal',
			'indeterminate',
			'borderline',
			'trace',
			'nil',
			'absent',
			'present',
			'clear',
			'cloudy',
			'hazy',
			'turbid',
			'straw',
			'yellow',
			'amber',
			'[1-4]\\+',
			'\\+{1,4}'
		].join('|') +
		')(?=\\s|$|[,;)])',
	'i'
);

function capitalise(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1).toLowerCase();
}

export function parseValue(text: string, style: NumberStyle): ParsedValue | undefined {
	const qualitative = QUALITATIVE.exec(text);
	if (qualitative) {
		const word = qualitative[1]!;
		return {
			value: { type: 'string', value: /\+/.test(word) ? word : capitalise(word) },
			length: word.length
		};
	}
	const quantity = QUANTITY.exec(text);
	if (quantity) {
		const value = parseNumber(quantity[2]!, style);
		// A number running straight into letters is a code or an address ("12B"), unless
		// what follows reads as a unit; the caller checks that.
		if (value !== undefined) {
			const comparator = quantity[1] === undefined ? undefined : COMPARATORS[quantity[1]];
			return {
				value: { type: 'quantity', value, ...(comparator ? { comparator } : {}) },
				length: quantity[0].length,
				...(quantity[3] ? { attachedUnit: quantity[3] } : {})
			};
		}
	}
	return undefined;
}
