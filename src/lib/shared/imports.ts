import { z } from 'zod';
import { Extraction } from './extraction/extraction.ts';

// The import job API (POST /v1/imports, GET /v1/imports/:id/events), shared by the page, the
// service worker and the server. On the wire every event's data is sealed to the job's public
// key (sealImportEvent); these are the shapes inside.

export const IMPORT_MAX_FILE_BYTES = 20 * 1024 * 1024;

export const ImportMediaType = z.enum([
	'application/pdf',
	'image/jpeg',
	'image/png',
	'image/webp',
	'text/plain'
]);
export type ImportMediaType = z.infer<typeof ImportMediaType>;

export const CreateImportResponse = z.object({ jobId: z.uuid() });
export type CreateImportResponse = z.infer<typeof CreateImportResponse>;

// Why a job failed: what pdf-text.ts and the providers report (DocumentProblem), plus the
// job's own reasons.
export const ImportErrorCode = z.enum([
	'empty-file',
	'not-a-pdf',
	'corrupt-pdf',
	'password-protected',
	'no-text',
	'unsupported-input',
	'needs-ocr',
	'extraction-failed'
]);
export type ImportErrorCode = z.infer<typeof ImportErrorCode>;

export const ImportProgress = z.object({
	stage: z.enum(['reading', 'extracting']),
	percent: z.number().min(0).max(100)
});
export type ImportProgress = z.infer<typeof ImportProgress>;

export const ImportResult = z.object({ extraction: Extraction });
export type ImportResult = z.infer<typeof ImportResult>;

export const ImportFailure = z.object({ code: ImportErrorCode, message: z.string() });
export type ImportFailure = z.infer<typeof ImportFailure>;

export const ImportEvent = z.discriminatedUnion('event', [
	z.object({ event: z.literal('progress'), data: ImportProgress }),
	z.object({ event: z.literal('result'), data: ImportResult }),
	z.object({ event: z.literal('error'), data: ImportFailure }),
	z.object({ event: z.literal('done'), data: z.object({}) })
]);
export type ImportEvent = z.infer<typeof ImportEvent>;
