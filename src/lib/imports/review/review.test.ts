import { describe, expect, it } from 'vitest';
import { Extraction } from '../../shared/extraction/index.ts';
import { draftReview, parseValue, type ReviewDraft } from './review-draft.ts';
import { rowObservation } from './row-observation.ts';
import { sampleExtraction } from './sample-extraction.ts';
import { hasErrors, validateReview } from './validate-review.ts';

const documentId = 'doc-1';
const fresh = (): ReviewDraft => draftReview(sampleExtraction, { today: '2026-11-24' });
const link = { effectiveDateTime: '2025-03-14', documentId };

describe('drafting a review from an extraction', () => {
	it('is a valid extraction to start from', () => {
		expect(Extraction.parse(sampleExtraction)).toEqual(sampleExtraction);
	});

	it('shows each value as typed text, with comparator, unit, limits and flag', () => {
		const draft = fresh();
		expect(draft.documentDate).toBe('2025-03-14');
		expect(
			draft.rows.map(({ value, unit, low, high, flag, rejected }) => ({
				value,
				unit,
				low,
				high,
				flag,
				rejected
			}))
		).toEqual([
			{ value: '112', unit: 'g/L', low: '115', high: '165', flag: 'L', rejected: false },
			{ value: '<5', unit: 'mg/L', low: '', high: '5', flag: 'N', rejected: false },
			{ value: 'Straw', unit: '', low: '', high: '', flag: '', rejected: false },
			{ value: '5.9', unit: 'mmol/L', low: '3.5', high: '5.3', flag: 'H', rejected: false }
		]);
	});

	it('dates the results today when the report printed no date', () => {
		const { documentDate, ...undated } = sampleExtraction;
		expect(documentDate).toBeDefined();
		expect(draftReview(undated, { today: '2026-11-24' }).documentDate).toBe('2026-11-24');
	});

	it.each([
		['4.2', { type: 'quantity', value: 4.2 }],
		['4,2', { type: 'quantity', value: 4.2 }],
		['< 5', { type: 'quantity', value: 5, comparator: '<' }],
		['≥90', { type: 'quantity', value: 90, comparator: '>=' }],
		['Positive', { type: 'string', value: 'Positive' }],
		['  ', null]
	])('reads %j as %j', (text, parsed) => {
		expect(parseValue(text)).toEqual(parsed);
	});
});

describe('a reviewed row as an Observation', () => {
	it('keeps the extraction’s code, value, range and flag, linked to the document', () => {
		const [haemoglobin] = fresh().rows;
		expect(rowObservation(haemoglobin!, link)).toEqual({
			category: 'laboratory',
			status: 'final',
			code: {
				system: 'http://loinc.org',
				code: '718-7',
				display: 'Hemoglobin [Mass/volume] in Blood'
			},
			value: { type: 'quantity', value: 112, unit: 'g/L' },
			referenceRange: { low: 115, high: 165, text: '(115 - 165)' },
			interpretation: 'L',
			effectiveDateTime: '2025-03-14',
			derivedFrom: { type: 'DocumentReference', id: documentId }
		});
	});

	it('keeps a value below a detection limit as words, since Observation has no comparator', () => {
		const crp = fresh().rows[1]!;
		expect(rowObservation(crp, link).value).toEqual({ type: 'string', value: '<5 mg/L' });
	});

	it('takes corrections, and drops the printed range once its limits are changed', () => {
		const row = { ...fresh().rows[0]!, value: '121', unit: 'g/dL', low: '120', flag: 'N' as const };
		expect(rowObservation(row, link)).toMatchObject({
			value: { type: 'quantity', value: 121, unit: 'g/dL' },
			referenceRange: { low: 120, high: 165, text: undefined },
			interpretation: 'N'
		});
	});
});

describe('validating a review', () => {
	it('passes the extraction as read', async () => {
		const { errors, inputs } = await validateReview(fresh(), { documentId });
		expect(hasErrors(errors)).toBe(false);
		expect(inputs.size).toBe(4);
	});

	it('refuses a corrected unit that is not UCUM, beside the unit, with a suggestion', async () => {
		const draft = fresh();
		draft.rows[0]!.unit = 'mgdl';
		draft.rows[1]!.unit = 'qqq';
		const { errors } = await validateReview(draft, { documentId });
		expect(errors.rows).toEqual({
			0: { unit: 'mgdl is not a unit we recognise — try mg/dL' },
			1: {
				unit: 'qqq is not a unit we recognise — use a UCUM unit such as mg/dL, mmol/L or 10*9/L'
			}
		});
	});

	it('places each problem beside its field, and the date’s beside the date', async () => {
		const draft = fresh();
		draft.documentDate = '2025-02-30';
		draft.rows[0]!.value = '';
		draft.rows[2]!.unit = 'mg/L';
		draft.rows[3]!.low = 'six';
		draft.rows[3]!.high = '3';
		const { errors } = await validateReview(draft, { documentId });
		expect(errors).toEqual({
			documentDate: 'Enter a date like 2024-03-15',
			rows: {
				0: { value: 'Enter the result' },
				2: { unit: 'A result in words has no unit — clear the unit or enter a number' },
				3: { low: 'Enter the lower limit as a number' }
			}
		});
		draft.rows[3]!.low = '6';
		expect((await validateReview(draft, { documentId })).errors.rows[3]).toEqual({
			high: 'The upper limit must be at least the lower limit'
		});
	});

	it('does not validate rows the person rejected', async () => {
		const draft = fresh();
		draft.rows[0]!.value = '';
		draft.rows[0]!.rejected = true;
		const { errors, inputs } = await validateReview(draft, { documentId });
		expect(hasErrors(errors)).toBe(false);
		expect([...inputs.keys()]).toEqual([1, 2, 3]);
	});
});
