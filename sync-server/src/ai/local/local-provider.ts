import { Extraction } from '../../../../src/lib/shared/extraction/extraction.ts';
import {
	labTestIndex,
	type LabTestIndex
} from '../../../../src/lib/shared/lab-tests/lab-test-index.ts';
import { loadUcum } from '../../../../src/lib/shared/records/ucum-units.ts';
import { DocumentError } from '../document-error.ts';
import type { ExtractInput, Provider } from '../provider.ts';
import { analyseLocally } from './analyse-locally.ts';
import { findDocumentDate } from './find-document-date.ts';
import { findPatientName } from './find-patient-name.ts';
import { detectNumberStyle } from './parse-number.ts';
import { readLabResults } from './read-lab-results.ts';
import { detectUnitSystem } from './unit-system.ts';

// The embedded default: rules over the report's text and the LOINC table, on this machine,
// with no network and the same answer every time.
export function createLocalProvider({
	index = labTestIndex()
}: { index?: LabTestIndex } = {}): Provider {
	return {
		name: 'local',
		async extract(input: ExtractInput) {
			if (input.kind !== 'text') {
				throw new DocumentError(
					'unsupported-input',
					'The local provider reads text; page images need OCR first'
				);
			}
			const { pages } = input;
			if (pages.every((page) => page.text.trim().length === 0)) {
				throw new DocumentError('no-text', 'The document has no text to read');
			}
			await loadUcum();
			const text = pages.map((page) => page.text).join('\n');
			const unitSystem = detectUnitSystem(text);
			const results = readLabResults(pages, { index, style: detectNumberStyle(text), unitSystem });
			const noText = new Set(input.noTextPages ?? []);
			const documentDate = findDocumentDate(pages, unitSystem);
			const patientName = findPatientName(pages);
			return Extraction.parse({
				provider: 'local',
				...(documentDate ? { documentDate } : {}),
				...(patientName ? { patientName } : {}),
				pages: [
					...pages.map((page) => ({ page: page.page, status: 'text' as const })),
					...[...noText].map((page) => ({ page, status: 'no-text-layer' as const }))
				].sort((a, b) => a.page - b.page),
				results
			});
		},
		analyse(input, options) {
			return analyseLocally(input, options);
		}
	};
}
