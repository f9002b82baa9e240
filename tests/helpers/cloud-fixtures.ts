import type { AnalyseInput, ExtractInput } from '../../sync-server/src/ai/provider.ts';
import type { ModelExtraction } from '../../sync-server/src/ai/cloud/model-extraction.ts';
import { recordSchemas } from '../../src/lib/shared/records/index.ts';
import { loadUcum } from '../../src/lib/shared/records/ucum-units.ts';

// A made-up report and the answer a model would give for it, shared by the openai and gemini
// provider tests. The answer includes what the checks must catch: a code outside the table, a
// unit that is not UCUM, and a snippet the model paraphrased.
export const REPORT_PAGE_1 = [
	'Northgate Pathology      Collected: 14/03/2026',
	'Patient: Jane Example',
	'Haemoglobin        11.2  g/dL     (12.0 - 15.5)   L',
	'Potassium          4.1   mmol/l   3.5-5.3',
	'CRP                <5    mg/L     <5'
].join('\n');
export const REPORT_PAGE_2 = 'Urine dipstick\nGlucose   Negative   (Negative)';

export const REPORT: ExtractInput = {
	kind: 'text',
	pages: [
		{ page: 1, text: REPORT_PAGE_1 },
		{ page: 2, text: REPORT_PAGE_2 }
	],
	noTextPages: [3]
};

const result = (fields: Partial<ModelExtraction['results'][number]>) => ({
	loinc: '718-7',
	label: 'Haemoglobin',
	page: 1,
	snippet: '',
	valueNumber: null,
	comparator: null,
	valueText: null,
	unit: null,
	rangeLow: null,
	rangeHigh: null,
	rangeText: null,
	flagPrinted: null,
	confidence: 0.9,
	...fields
});

export const MODEL_ANSWER: ModelExtraction = {
	documentDate: '2026-03-14',
	patientName: 'Jane Example',
	results: [
		result({
			snippet: 'Haemoglobin        11.2  g/dL     (12.0 - 15.5)   L',
			valueNumber: 11.2,
			unit: 'g/dL',
			rangeLow: 12,
			rangeHigh: 15.5,
			rangeText: '12.0 - 15.5',
			flagPrinted: 'L',
			confidence: 0.97
		}),
		result({
			loinc: '2823-3',
			label: 'Potassium',
			snippet: 'Potassium 4.1 mmol/L', // not verbatim: the page has more spaces and "mmol/l"
			valueNumber: 4.1,
			unit: 'mmol/l',
			rangeLow: 3.5,
			rangeHigh: 5.3,
			rangeText: '3.5-5.3'
		}),
		result({
			loinc: '1988-5',
			label: 'CRP',
			snippet: 'CRP                <5    mg/L     <5',
			valueNumber: 5,
			comparator: '<',
			unit: 'mg/L',
			rangeHigh: 5,
			rangeText: '<5'
		}),
		result({ loinc: '99999-9', label: 'Mystery', snippet: 'Mystery', valueNumber: 1, unit: 'g/L' }),
		result({ label: 'Hb', snippet: 'Haemoglobin', valueNumber: 112, unit: 'grams per bucket' }),
		result({
			loinc: '5792-7',
			label: 'Glucose',
			page: 2,
			snippet: 'Glucose   Negative   (Negative)',
			valueText: 'Negative',
			rangeText: 'Negative'
		})
	]
};

// The Observation schema checks units with ucum-lhc, which loads once.
await loadUcum();

export const ANALYSIS_INPUT: AnalyseInput = {
	records: [
		{
			kind: 'observation',
			id: 'obs-1',
			data: recordSchemas.observation.parse({
				category: 'laboratory',
				status: 'final',
				code: { code: '718-7', display: 'Haemoglobin' },
				value: { type: 'quantity', value: 11.2, unit: 'g/dL' },
				referenceRange: { low: 12, high: 15.5 },
				interpretation: 'L',
				effectiveDateTime: '2026-03-14'
			})
		}
	]
};

export const ANALYSIS_DELTAS = ['Haemoglobin ', 'was low ', '(11.2 g/dL) ', 'on 2026-03-14.'];

// Test keys: distinctive so a leak into a body or URL is easy to find.
export const OPENAI_KEY = 'sk-test-KEY-must-not-leak-0f3a';
export const GEMINI_KEY = 'AIza-test-KEY-must-not-leak-9c1d';
