import { z } from 'zod';
import { IsoDate } from '../records/fields.ts';
import { isLoincCode, LOINC_SYSTEM } from '../records/loinc.ts';
import { Interpretation } from '../records/interpretation.ts';

// What an import job hands back (encrypted) for the person to review; accepted results become
// Observation records (toObservation). Providers must produce exactly this shape, so a cloud
// model's answer is parsed with it too.

export const ExtractionProvider = z.enum(['local', 'openai', 'gemini']);
export type ExtractionProvider = z.infer<typeof ExtractionProvider>;

// Where a value was read: a 1-based page and [start, end) in that page's text as the provider
// saw it, plus the snippet itself so the review can show it without the page text.
export const Provenance = z.object({
	page: z.int().min(1),
	start: z.int().min(0),
	end: z.int().min(0),
	snippet: z.string().max(500)
});
export type Provenance = z.infer<typeof Provenance>;

// FHIR Quantity.comparator: "<5" is a quantity 5 with comparator "<", not a number.
export const Comparator = z.enum(['<', '<=', '>', '>=']);
export type Comparator = z.infer<typeof Comparator>;

export const ExtractedValue = z.discriminatedUnion('type', [
	z.object({
		type: z.literal('quantity'),
		value: z.number().finite(),
		comparator: Comparator.optional(),
		// UCUM, validated; absent when the report printed none and the table could not supply it.
		unit: z.string().min(1).max(64).optional(),
		// "report" when printed beside the value, "table" when taken from the test's preferred unit.
		unitSource: z.enum(['report', 'table']).optional()
	}),
	z.object({ type: z.literal('string'), value: z.string().min(1).max(1_000) })
]);
export type ExtractedValue = z.infer<typeof ExtractedValue>;

export const ExtractedRange = z.object({
	low: z.number().finite().optional(),
	high: z.number().finite().optional(),
	// As printed, e.g. "3.5 - 5.3", "<200", "Negative".
	text: z.string().max(200)
});
export type ExtractedRange = z.infer<typeof ExtractedRange>;

export const ExtractedLabResult = z.object({
	code: z.object({
		system: z.literal(LOINC_SYSTEM),
		code: z.string().refine(isLoincCode, 'not a LOINC code'),
		display: z.string().min(1).max(300)
	}),
	// The test's name as the report printed it.
	label: z.string().min(1).max(200),
	value: ExtractedValue,
	referenceRange: ExtractedRange.optional(),
	interpretation: Interpretation.optional(),
	// "report": the report marked it (H, L, *, HIGH, HH…); "range": computed from the range.
	interpretationSource: z.enum(['report', 'range']).optional(),
	provenance: Provenance,
	confidence: z.number().min(0).max(1)
});
export type ExtractedLabResult = z.infer<typeof ExtractedLabResult>;

// Why no text could be read from a page, so a later step can OCR it.
export const PageOutcome = z.object({
	page: z.int().min(1),
	status: z.enum(['text', 'no-text-layer'])
});
export type PageOutcome = z.infer<typeof PageOutcome>;

export const Extraction = z.object({
	provider: ExtractionProvider,
	documentDate: IsoDate.optional(),
	patientName: z.string().min(1).max(200).optional(),
	pages: z.array(PageOutcome),
	results: z.array(ExtractedLabResult).max(1_000)
});
export type Extraction = z.infer<typeof Extraction>;

// Why a document could not be read at all; the job fails with this reason.
export const DocumentProblem = z.enum([
	'empty-file',
	'not-a-pdf',
	'corrupt-pdf',
	'password-protected',
	'no-text',
	'unsupported-input'
]);
export type DocumentProblem = z.infer<typeof DocumentProblem>;
