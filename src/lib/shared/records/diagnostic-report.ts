import { z } from 'zod';
import { IsoDateTime, optionalText, requiredText } from './fields.ts';

// Longer than LONG_TEXT: a model's summary of many results runs to a few pages.
export const REPORT_TEXT_MAX = 100_000;

// FHIR R4 DiagnosticReport, reduced to what an analysis of the records produces: its text is the
// report's `conclusion`, `result` names the records it was written from, `performer` who wrote it.
export const DiagnosticReport = z.object({
	title: requiredText('Enter a title, e.g. Summary of lab results'),
	issued: IsoDateTime,
	conclusion: requiredText('Enter the report’s text', REPORT_TEXT_MAX),
	result: z
		.array(z.string().min(1).max(64), { error: 'The records this report is about' })
		.max(1000)
		.default([]),
	performer: optionalText()
});
export type DiagnosticReport = z.infer<typeof DiagnosticReport>;
