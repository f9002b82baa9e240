import type { Comparator, ExtractedLabResult, Extraction } from '../../shared/extraction/index.ts';
import type { Interpretation } from '../../shared/records/index.ts';

// What the review page edits: one row per extracted value, as text the way the person types
// it, beside the value as the provider read it. Nothing here is saved until the person accepts.

export type ReviewRow = {
	// The result's position in the extraction; also names the saved record (see accept-import.ts).
	index: number;
	result: ExtractedLabResult;
	rejected: boolean;
	// "<5", "112", "Positive": a comparator, then a number or words.
	value: string;
	unit: string;
	low: string;
	high: string;
	flag: Interpretation | '';
};

export type ReviewDraft = {
	// The observations' effective date: the report's date, or today when none was printed.
	documentDate: string;
	rows: ReviewRow[];
};

export type RowField = 'value' | 'unit' | 'low' | 'high' | 'flag';

// The local provider's scores are ordered, not calibrated (sync-server/src/ai/local/confidence.ts):
// below this the unit was inferred or unexpected, which is what a person should look at twice.
export const LOW_CONFIDENCE = 0.75;

const numberText = (value: number | undefined) => (value === undefined ? '' : String(value));

export function valueText(result: ExtractedLabResult): string {
	const { value } = result;
	if (value.type === 'string') return value.value;
	return `${value.comparator ?? ''}${value.value}`;
}

export function draftReview(extraction: Extraction, { today }: { today: string }): ReviewDraft {
	return {
		documentDate: extraction.documentDate ?? today,
		rows: extraction.results.map((result, index) => ({
			index,
			result,
			rejected: false,
			value: valueText(result),
			unit: result.value.type === 'quantity' ? (result.value.unit ?? '') : '',
			low: numberText(result.referenceRange?.low),
			high: numberText(result.referenceRange?.high),
			flag: result.interpretation ?? ''
		}))
	};
}

export function acceptedRows(draft: ReviewDraft): ReviewRow[] {
	return draft.rows.filter((row) => !row.rejected);
}

const COMPARATOR = /^(<=|>=|≤|≥|<|>)\s*/;
const NUMBER = /^[-+]?(\d+([.,]\d*)?|[.,]\d+)$/;
const WRITTEN: Record<string, Comparator> = { '≤': '<=', '≥': '>=' };

export type ParsedValue =
	{ type: 'quantity'; value: number; comparator?: Comparator } | { type: 'string'; value: string };

// "<5" is the quantity 5 with comparator "<"; "5,4" is 5.4 (how much of Europe writes it);
// anything else is a result in words.
export function parseValue(text: string): ParsedValue | null {
	const trimmed = text.trim();
	if (trimmed === '') return null;
	const match = COMPARATOR.exec(trimmed);
	const rest = match ? trimmed.slice(match[0].length) : trimmed;
	if (!NUMBER.test(rest)) return { type: 'string', value: trimmed };
	const value = Number(rest.replace(',', '.'));
	if (!match) return { type: 'quantity', value };
	const sign = match[1]!;
	return { type: 'quantity', value, comparator: WRITTEN[sign] ?? (sign as Comparator) };
}

// An empty limit is "none"; a limit that is not a number stays text for the schema to refuse.
export function parseLimit(text: string): number | string | undefined {
	const trimmed = text.trim();
	if (trimmed === '') return undefined;
	return NUMBER.test(trimmed) ? Number(trimmed.replace(',', '.')) : trimmed;
}
