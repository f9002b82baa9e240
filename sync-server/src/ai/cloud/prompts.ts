import type { AnalyseInput, ExtractInput } from '../provider.ts';

export const EXTRACTION_INSTRUCTIONS = `You read laboratory reports and return every lab result on them as JSON.
For each result:
- loinc: the LOINC code of the test (with its check digit, e.g. 2345-7).
- label: the test's name exactly as printed.
- page: the page number the result is on.
- snippet: the report's text for the result copied verbatim (name through unit/range/flag), at most 300 characters.
- valueNumber and comparator for numeric results ("<5" is valueNumber 5, comparator "<"); otherwise valueText (e.g. "Negative") and valueNumber null.
- unit: the unit as a UCUM code (mg/dL, mmol/L, 10*9/L, [IU]/L, %), null when none is printed.
- rangeLow, rangeHigh, rangeText: the reference range (rangeText as printed), null when absent.
- flagPrinted: the flag printed beside the value (H, L, HH, LL, *, HIGH…), null when none.
- confidence: 0 to 1, how sure you are of this result.
Also documentDate (the collection date, YYYY-MM-DD) and patientName, null when not printed.
Return only what the report states; never guess values, codes or units.`;

// The report as the model sees it: each page's text under a page marker, so it can name pages.
export function reportText(input: ExtractInput & { kind: 'text' }): string {
	return input.pages.map((page) => `=== Page ${page.page} ===\n${page.text}`).join('\n\n');
}

export function imagePagesNote(input: ExtractInput & { kind: 'images' }): string {
	return `The report is given as ${input.pages.length} page image(s), in order: pages ${input.pages
		.map((page) => page.page)
		.join(', ')}.`;
}

export const ANALYSIS_INSTRUCTIONS = `You help a clinician or patient read their own health records.
Write a short plain-language summary of the records given: values flagged outside their range,
trends across dates for repeated tests, and medicines and allergies that bear on the results or on
each other. Say what is uncertain. Do not diagnose or prescribe; suggest discussing findings with a clinician.`;

export function analysisRequest({ records, language }: AnalyseInput): string {
	const lines = [
		language ? `Write in the language with the tag ${language}.` : 'Write in English.',
		'Records (JSON, one per line):',
		...records.map((record) => JSON.stringify({ kind: record.kind, data: record.data }))
	];
	return lines.join('\n');
}
