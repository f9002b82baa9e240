import { toObservation, type ExtractedValue } from '../../shared/extraction/index.ts';
import type { RecordInput } from '../../shared/records/index.ts';
import { parseLimit, parseValue, type ReviewRow } from './review-draft.ts';

// One reviewed row as the Observation it becomes: the extraction's conversion (toObservation)
// applied to the corrected value, range and flag, linked to the document it was read from.

function correctedValue(row: ReviewRow): ExtractedValue {
	const parsed = parseValue(row.value);
	// An empty result goes through as empty words, so the schema says "Enter the result".
	if (parsed === null) return { type: 'string', value: '' };
	if (parsed.type === 'string') return parsed;
	const unit = row.unit.trim();
	return { ...parsed, ...(unit ? { unit } : {}) };
}

// NaN for a limit that is not a number: the schema refuses it with the limit's own message.
const limit = (text: string) => {
	const parsed = parseLimit(text);
	return typeof parsed === 'string' ? Number.NaN : parsed;
};

function correctedRange(row: ReviewRow): RecordInput<'observation'>['referenceRange'] {
	const printed = row.result.referenceRange;
	const low = limit(row.low);
	const high = limit(row.high);
	// The range as printed ("Negative", "(115 - 165)") only while the limits are the ones read.
	const unchanged = low === printed?.low && high === printed?.high;
	const text = unchanged ? printed?.text : undefined;
	if (low === undefined && high === undefined && !text) return undefined;
	return { low, high, text };
}

export function rowObservation(
	row: ReviewRow,
	{ effectiveDateTime, documentId }: { effectiveDateTime: string; documentId: string }
): RecordInput<'observation'> {
	const observation = toObservation(
		{
			...row.result,
			value: correctedValue(row),
			referenceRange: undefined,
			interpretation: row.flag || undefined
		},
		{ effectiveDateTime }
	);
	return {
		...observation,
		referenceRange: correctedRange(row),
		derivedFrom: { type: 'DocumentReference', id: documentId }
	};
}
