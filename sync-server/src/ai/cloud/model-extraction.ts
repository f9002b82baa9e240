import { z } from 'zod';
import { Comparator } from '../../../../src/lib/shared/extraction/extraction.ts';
import { ProviderAnswerError } from './provider-errors.ts';

// What a cloud model is asked to fill in: flatter than the shared Extraction (no unions, every
// field present and null when unknown) because OpenAI's strict structured outputs require every
// property and Gemini's response schema has no discriminated unions. toExtraction maps it onto
// the shared schema and checks what the model cannot be trusted with (LOINC, UCUM, spans).
export const ModelLabResult = z.object({
	loinc: z.string(),
	label: z.string(),
	page: z.int().min(1).max(10_000),
	snippet: z.string(),
	valueNumber: z.number().nullable(),
	comparator: Comparator.nullable(),
	valueText: z.string().nullable(),
	unit: z.string().nullable(),
	rangeLow: z.number().nullable(),
	rangeHigh: z.number().nullable(),
	rangeText: z.string().nullable(),
	flagPrinted: z.string().nullable(),
	confidence: z.number().min(0).max(1)
});
export type ModelLabResult = z.infer<typeof ModelLabResult>;

export const ModelExtraction = z.object({
	documentDate: z.string().nullable(),
	patientName: z.string().nullable(),
	results: z.array(ModelLabResult)
});
export type ModelExtraction = z.infer<typeof ModelExtraction>;

// The JSON text of an answer → ModelExtraction, or the typed error. The parse error itself is
// not kept as a cause: zod and JSON.parse quote the offending input.
export function parseModelExtraction(
	provider: 'openai' | 'gemini',
	text: string | null | undefined
): ModelExtraction {
	if (text === null || text === undefined || text.trim().length === 0) {
		throw new ProviderAnswerError(provider, 'empty', 'The model returned no answer');
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		throw new ProviderAnswerError(provider, 'bad-json', 'The model answer is not valid JSON');
	}
	const parsed = ModelExtraction.safeParse(json);
	if (!parsed.success) {
		const paths = parsed.error.issues.slice(0, 5).map((issue) => issue.path.join('.') || '(root)');
		throw new ProviderAnswerError(
			provider,
			'schema-mismatch',
			`The model answer does not match the extraction schema at ${paths.join(', ')}`
		);
	}
	return parsed.data;
}
