import type { ExtractedLabResult, Extraction } from '../../shared/extraction/index.ts';

// A report as the local provider reads it, for the review tests: a flagged quantity, a value
// below a detection limit, a result in words, and one whose unit came from the table.

const result = (
	code: string,
	display: string,
	label: string,
	rest: Omit<ExtractedLabResult, 'code' | 'label' | 'provenance' | 'confidence'> &
		Partial<Pick<ExtractedLabResult, 'confidence'>>,
	line: number
): ExtractedLabResult => ({
	code: { system: 'http://loinc.org', code, display },
	label,
	confidence: 0.95,
	provenance: { page: 1, start: line * 60, end: line * 60 + 40, snippet: `${label} …` },
	...rest
});

export const sampleExtraction: Extraction = {
	provider: 'local',
	documentDate: '2025-03-14',
	patientName: 'SMITH, Margaret Anne',
	pages: [{ page: 1, status: 'text' }],
	results: [
		result(
			'718-7',
			'Hemoglobin [Mass/volume] in Blood',
			'Haemoglobin',
			{
				value: { type: 'quantity', value: 112, unit: 'g/L', unitSource: 'report' },
				referenceRange: { low: 115, high: 165, text: '(115 - 165)' },
				interpretation: 'L',
				interpretationSource: 'report'
			},
			1
		),
		result(
			'1988-5',
			'C reactive protein [Mass/volume] in Serum or Plasma',
			'CRP',
			{
				value: { type: 'quantity', value: 5, comparator: '<', unit: 'mg/L' },
				referenceRange: { high: 5, text: '< 5' },
				interpretation: 'N'
			},
			2
		),
		result('5778-6', 'Color of Urine', 'Colour', { value: { type: 'string', value: 'Straw' } }, 3),
		result(
			'2823-3',
			'Potassium [Moles/volume] in Serum or Plasma',
			'Potassium',
			{
				value: { type: 'quantity', value: 5.9, unit: 'mmol/L', unitSource: 'table' },
				referenceRange: { low: 3.5, high: 5.3, text: '3.5 - 5.3' },
				interpretation: 'H',
				interpretationSource: 'range',
				confidence: 0.7
			},
			4
		)
	]
};
