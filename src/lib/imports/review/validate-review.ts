import {
	IsoDate,
	UcumUnit,
	validateRecord,
	type FieldErrors,
	type RecordInput
} from '../../shared/records/index.ts';
import { acceptedRows, parseValue, type ReviewDraft, type ReviewRow } from './review-draft.ts';
import { rowObservation } from './row-observation.ts';

// The Observation schema has the final word on every accepted row; its messages are placed
// beside the row's field they are about ('' for the row as a whole).

export type RowErrors = Partial<Record<'value' | 'unit' | 'low' | 'high' | 'flag' | 'row', string>>;
export type ReviewErrors = { documentDate?: string; rows: Record<number, RowErrors> };

const PLACES: [prefix: string, field: keyof RowErrors][] = [
	['value.unit', 'unit'],
	['value', 'value'],
	['referenceRange.low', 'low'],
	['referenceRange', 'high'],
	['interpretation', 'flag']
];

export function placeRowErrors(fieldErrors: FieldErrors): {
	row: RowErrors;
	documentDate?: string;
} {
	const row: RowErrors = {};
	let documentDate: string | undefined;
	for (const [path, message] of Object.entries(fieldErrors)) {
		if (path === 'effectiveDateTime') {
			documentDate ??= message;
			continue;
		}
		const place = PLACES.find(([prefix]) => path === prefix || path.startsWith(`${prefix}.`));
		row[place?.[1] ?? 'row'] ??= message;
	}
	return { row, documentDate };
}

// Observation has no comparator, so "<5 mg/L" is kept as words (toObservation) and the schema
// never sees its unit: it is checked here with the schema's own UCUM check.
async function unitErrors(row: ReviewRow): Promise<RowErrors> {
	const unit = row.unit.trim();
	const value = parseValue(row.value);
	if (unit === '' || value === null) return {};
	if (value.type === 'string') {
		return { unit: 'A result in words has no unit — clear the unit or enter a number' };
	}
	const checked = await UcumUnit.safeParseAsync(unit);
	return checked.success ? {} : { unit: checked.error.issues[0]!.message };
}

export async function validateRow(
	row: ReviewRow,
	link: { effectiveDateTime: string; documentId: string }
): Promise<{ input: RecordInput<'observation'>; errors: RowErrors; documentDate?: string }> {
	const input = rowObservation(row, link);
	const [result, unit] = await Promise.all([validateRecord('observation', input), unitErrors(row)]);
	const placed = result.success ? { row: {} } : placeRowErrors(result.fieldErrors);
	return { input, errors: { ...unit, ...placed.row }, documentDate: placed.documentDate };
}

export function hasErrors(errors: ReviewErrors): boolean {
	return (
		errors.documentDate !== undefined ||
		Object.values(errors.rows).some((row) => Object.keys(row).length > 0)
	);
}

export async function validateReview(
	draft: ReviewDraft,
	{ documentId }: { documentId: string }
): Promise<{ errors: ReviewErrors; inputs: Map<number, RecordInput<'observation'>> }> {
	const date = IsoDate.safeParse(draft.documentDate);
	const errors: ReviewErrors = {
		documentDate: date.success ? undefined : date.error.issues[0]!.message,
		rows: {}
	};
	const inputs = new Map<number, RecordInput<'observation'>>();
	const link = { effectiveDateTime: draft.documentDate, documentId };
	for (const row of acceptedRows(draft)) {
		const checked = await validateRow(row, link);
		inputs.set(row.index, checked.input);
		if (Object.keys(checked.errors).length > 0) errors.rows[row.index] = checked.errors;
		errors.documentDate ??= checked.documentDate;
	}
	return { errors, inputs };
}
