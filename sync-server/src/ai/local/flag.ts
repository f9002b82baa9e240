import type { Interpretation } from '../../../../src/lib/shared/records/observation.ts';
import type {
	ExtractedRange,
	ExtractedValue
} from '../../../../src/lib/shared/extraction/extraction.ts';

// Marks reports print beside a value. "*" and "!" say abnormal without a direction; "**", "!!"
// and "CRIT" say critical. The direction for those comes from the range when there is one.
type Mark = Interpretation | 'abnormal' | 'critical';
const MARKS: Record<string, Mark> = {
	h: 'H',
	high: 'H',
	hi: 'H',
	'↑': 'H',
	'h*': 'HH',
	hh: 'HH',
	'critical high': 'HH',
	'crit high': 'HH',
	l: 'L',
	low: 'L',
	lo: 'L',
	'↓': 'L',
	'l*': 'LL',
	ll: 'LL',
	'critical low': 'LL',
	'crit low': 'LL',
	n: 'N',
	normal: 'N',
	a: 'abnormal',
	abn: 'abnormal',
	abnormal: 'abnormal',
	'*': 'abnormal',
	'!': 'abnormal',
	'**': 'critical',
	'***': 'critical',
	'!!': 'critical',
	crit: 'critical',
	critical: 'critical',
	panic: 'critical'
};

export const FLAG_PATTERN =
	/^(critical high|critical low|crit high|crit low|critical|panic|high|low|abnormal|abn|crit|hi|lo|hh|ll|h\*|l\*|\*{1,3}|!{1,2}|↑|↓|h|l|a|n)(?=\s|$|[)\]])/i;

export function isFlag(text: string): boolean {
	return MARKS[text.toLowerCase()] !== undefined;
}

function direction(
	value: ExtractedValue,
	range: ExtractedRange | undefined
): 'low' | 'high' | 'normal' | undefined {
	if (value.type !== 'quantity' || range === undefined) return undefined;
	if (range.low === undefined && range.high === undefined) return undefined;
	if (value.comparator !== undefined) return boundDirection(value.value, value.comparator, range);
	if (range.low !== undefined && value.value < range.low) return 'low';
	if (range.high !== undefined) {
		// "<5" against "<10" is normal; "<200" as a range means 200 itself is already high.
		const upperOnly = range.low === undefined && /^(<|less than)/i.test(range.text);
		if (upperOnly ? value.value >= range.high : value.value > range.high) return 'high';
	}
	return 'normal';
}

// "<5" is only known to lie below 5, ">90" above 90: a side is given only when the whole
// bound lies on it.
function boundDirection(
	bound: number,
	comparator: string,
	range: ExtractedRange
): 'low' | 'high' | 'normal' | undefined {
	if (comparator.startsWith('<')) {
		if (range.low !== undefined && bound <= range.low) return 'low';
		return range.high === undefined || bound <= range.high ? 'normal' : undefined;
	}
	if (range.high !== undefined && bound >= range.high) return 'high';
	return range.low === undefined || bound >= range.low ? 'normal' : undefined;
}

const NEGATIVE =
	/^(negative|not detected|non[- ]?reactive|nil|none|none seen|absent|normal|clear)$/i;

// The report's own mark wins; without one, the value is compared with the range.
export function interpret(
	value: ExtractedValue,
	range: ExtractedRange | undefined,
	printedFlag: string | undefined
): { interpretation?: Interpretation; interpretationSource?: 'report' | 'range' } {
	const mark = printedFlag === undefined ? undefined : MARKS[printedFlag.toLowerCase()];
	const side = direction(value, range);
	if (mark !== undefined) {
		if (mark === 'abnormal') {
			const interpretation = side === 'low' ? 'L' : side === 'high' ? 'H' : 'A';
			return { interpretation, interpretationSource: 'report' };
		}
		if (mark === 'critical') {
			const interpretation = side === 'low' ? 'LL' : side === 'high' ? 'HH' : 'AA';
			return { interpretation, interpretationSource: 'report' };
		}
		return { interpretation: mark, interpretationSource: 'report' };
	}
	if (side !== undefined) {
		const interpretation = side === 'low' ? 'L' : side === 'high' ? 'H' : 'N';
		return { interpretation, interpretationSource: 'range' };
	}
	if (
		value.type === 'string' &&
		range !== undefined &&
		range.low === undefined &&
		range.high === undefined
	) {
		const expectedNegative = NEGATIVE.test(range.text);
		if (expectedNegative) {
			return {
				interpretation: NEGATIVE.test(value.value) ? 'N' : 'A',
				interpretationSource: 'range'
			};
		}
	}
	return {};
}
