import {
	Extraction,
	type ExtractedLabResult,
	type ExtractedValue
} from '../../../../src/lib/shared/extraction/extraction.ts';
import { acceptedUnits } from '../../../../src/lib/shared/lab-tests/lab-test.ts';
import type { LabTestIndex } from '../../../../src/lib/shared/lab-tests/lab-test-index.ts';
import { IsoDate } from '../../../../src/lib/shared/records/fields.ts';
import { LOINC_SYSTEM } from '../../../../src/lib/shared/records/loinc.ts';
import { interpret } from '../local/flag.ts';
import { sameUnit, toUcumUnit } from '../local/map-unit.ts';
import type { ExtractInput } from '../provider.ts';
import type { ModelExtraction, ModelLabResult } from './model-extraction.ts';
import { ProviderAnswerError } from './provider-errors.ts';

// Confidence caps for what the model could not back up. Like the local provider's figures
// these are ordered, not calibrated: the review sorts and highlights by them.
const CAP = {
	checked: 0.95, // code in the table, unit one the test accepts, snippet found on the page
	unitFromTable: 0.6, // a Qn result printed without a unit: the table's preferred unit
	unexpectedUnit: 0.5, // valid UCUM, but not a unit this test is reported in
	snippetNotFound: 0.5 // the model's snippet is not in the page text it was sent
};

type Mapped = { result: ExtractedLabResult } | { dropped: string };

function locate(
	input: ExtractInput,
	page: number,
	snippet: string
): { start: number; end: number } | 'page-missing' | 'not-found' | 'image' {
	if (input.kind === 'images') {
		return input.pages.some((image) => image.page === page) ? 'image' : 'page-missing';
	}
	const text = input.pages.find((candidate) => candidate.page === page)?.text;
	if (text === undefined) return 'page-missing';
	const start = snippet.length > 0 ? text.indexOf(snippet) : -1;
	return start === -1 ? 'not-found' : { start, end: start + snippet.length };
}

function mapResult(input: ExtractInput, index: LabTestIndex, answer: ModelLabResult): Mapped {
	// A code outside the curated table cannot be checked against units or shown with its LOINC
	// name, and a model inventing plausible codes is the failure we most want to keep out.
	const test = index.byLoinc.get(answer.loinc.trim());
	if (test === undefined) return { dropped: 'loinc-not-in-table' };
	const place = locate(input, answer.page, answer.snippet);
	if (place === 'page-missing') return { dropped: 'page-not-sent' };
	let cap = Math.min(CAP.checked, place === 'not-found' ? CAP.snippetNotFound : 1);
	let value: ExtractedValue;
	if (answer.valueNumber !== null && Number.isFinite(answer.valueNumber)) {
		let unit: string | undefined;
		let unitSource: 'report' | 'table' | undefined;
		if (answer.unit !== null && answer.unit.trim().length > 0) {
			// A unit that is not UCUM (after the usual report spellings) could be anything, and a
			// number read against the wrong unit is worse than no number: drop the value.
			unit = toUcumUnit(answer.unit);
			if (unit === undefined) return { dropped: 'unit-not-ucum' };
			unitSource = 'report';
			if (!acceptedUnits(test).some((accepted) => sameUnit(accepted, unit!))) {
				cap = Math.min(cap, CAP.unexpectedUnit);
			}
		} else if (test.unit !== null) {
			unit = test.unit;
			unitSource = 'table';
			cap = Math.min(cap, CAP.unitFromTable);
		}
		value = {
			type: 'quantity',
			value: answer.valueNumber,
			...(answer.comparator ? { comparator: answer.comparator } : {}),
			...(unit ? { unit, unitSource } : {})
		};
	} else if (answer.valueText !== null && answer.valueText.trim().length > 0) {
		value = { type: 'string', value: answer.valueText.trim().slice(0, 1_000) };
	} else {
		return { dropped: 'no-value' };
	}
	const rangeText = answer.rangeText?.trim().slice(0, 200);
	const referenceRange =
		answer.rangeLow !== null || answer.rangeHigh !== null || rangeText
			? {
					...(answer.rangeLow !== null ? { low: answer.rangeLow } : {}),
					...(answer.rangeHigh !== null ? { high: answer.rangeHigh } : {}),
					text: rangeText ?? ''
				}
			: undefined;
	const snippet = answer.snippet.slice(0, 500);
	const span = typeof place === 'object' ? place : { start: 0, end: 0 };
	return {
		result: {
			code: { system: LOINC_SYSTEM, code: test.loinc, display: test.display },
			label: (answer.label.trim() || test.display).slice(0, 200),
			value,
			...(referenceRange ? { referenceRange } : {}),
			...interpret(value, referenceRange, answer.flagPrinted?.trim() || undefined),
			provenance: { page: answer.page, ...span, snippet },
			confidence: Math.round(Math.min(cap, answer.confidence) * 100) / 100
		}
	};
}

// The model's answer → the shared Extraction. Results that fail the checks are dropped and
// counted (by reason only, so the count can be logged); anything that still does not parse is
// the provider's fault and nothing is returned.
export function toExtraction(
	provider: 'openai' | 'gemini',
	input: ExtractInput,
	answer: ModelExtraction,
	index: LabTestIndex
): { extraction: Extraction; dropped: Record<string, number> } {
	const results: ExtractedLabResult[] = [];
	const dropped: Record<string, number> = {};
	for (const candidate of answer.results) {
		const mapped = mapResult(input, index, candidate);
		if ('result' in mapped) results.push(mapped.result);
		else dropped[mapped.dropped] = (dropped[mapped.dropped] ?? 0) + 1;
	}
	const documentDate = IsoDate.safeParse(answer.documentDate ?? '');
	const patientName = answer.patientName?.trim().slice(0, 200);
	const noText = input.kind === 'text' ? (input.noTextPages ?? []) : [];
	const parsed = Extraction.safeParse({
		provider,
		...(documentDate.success ? { documentDate: documentDate.data } : {}),
		...(patientName ? { patientName } : {}),
		pages: [
			...input.pages.map((page) => ({ page: page.page, status: 'text' as const })),
			...noText.map((page) => ({ page, status: 'no-text-layer' as const }))
		].sort((a, b) => a.page - b.page),
		results
	});
	if (!parsed.success) {
		throw new ProviderAnswerError(
			provider,
			'schema-mismatch',
			'The model answer could not be mapped onto the extraction schema'
		);
	}
	return { extraction: parsed.data, dropped };
}
