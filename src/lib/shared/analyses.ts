import { z } from 'zod';
import { EcPublicJwk } from '../crypto/key-pair.ts';
import { ExtractionProvider } from './extraction/extraction.ts';
import { recordSchemas, REPORT_TEXT_MAX, type RecordKind } from './records/index.ts';

// The analysis job API (POST /v1/analyses, GET /v1/analyses/:id/events, DELETE
// /v1/analyses/:id) and GET /v1/ai, shared by the page and the server. On the wire every event's
// data is sealed to the job's public key (src/lib/crypto/job-event.ts); these are the shapes
// inside.

/** Where the work is done: the server's local provider, or the configured cloud provider. */
export const Processing = z.enum(['local', 'cloud']);
export type Processing = z.infer<typeof Processing>;

export const ANALYSIS_MAX_RECORDS = 500;
export const ANALYSIS_MAX_BODY_BYTES = 1024 * 1024;
// The finished text becomes a DiagnosticReport's conclusion.
export const ANALYSIS_MAX_TEXT = REPORT_TEXT_MAX;

// What may be sent: every kind but an earlier analysis (a model's words are not records).
export const ANALYSABLE_KINDS = [
	'observation',
	'condition',
	'medication-statement',
	'allergy-intolerance',
	'immunization',
	'patient',
	'document-reference'
] as const satisfies readonly RecordKind[];

const recordOf = <K extends (typeof ANALYSABLE_KINDS)[number]>(kind: K) =>
	z.object({
		kind: z.literal(kind),
		id: z.string().min(1).max(64),
		data: recordSchemas[kind]
	});

export const AnalysisRecordInput = z.discriminatedUnion('kind', [
	recordOf('observation'),
	recordOf('condition'),
	recordOf('medication-statement'),
	recordOf('allergy-intolerance'),
	recordOf('immunization'),
	recordOf('patient'),
	recordOf('document-reference')
]);
export type AnalysisRecordInput = z.infer<typeof AnalysisRecordInput>;

export const CreateAnalysisRequest = z.object({
	// The job's ECDH P-256 public key: every event is sealed to it.
	publicKey: EcPublicJwk,
	processing: Processing.default('local'),
	// BCP 47, for the summary's language.
	language: z
		.string()
		.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'must be a language tag like en or de-CH')
		.optional(),
	records: z
		.array(AnalysisRecordInput)
		.min(1, 'choose at least one record')
		.max(ANALYSIS_MAX_RECORDS, `at most ${ANALYSIS_MAX_RECORDS} records`)
});
export type CreateAnalysisRequest = z.input<typeof CreateAnalysisRequest>;

export const CreateAnalysisResponse = z.object({ analysisId: z.uuid() });
export type CreateAnalysisResponse = z.infer<typeof CreateAnalysisResponse>;

export const AnalysisErrorCode = z.enum([
	// DELETE /v1/analyses/:id, or the server shutting down.
	'cancelled',
	// The model's answer could not be used (malformed, cut off, refused, too long).
	'bad-answer',
	// The provider could not be reached or failed (network, HTTP status, timeout): try again.
	'provider-failed'
]);
export type AnalysisErrorCode = z.infer<typeof AnalysisErrorCode>;

export const AnalysisProgress = z.object({
	stage: z.literal('analysing'),
	provider: ExtractionProvider
});
export const AnalysisDelta = z.object({ text: z.string().min(1) });
export const AnalysisResult = z.object({
	text: z.string().min(1).max(ANALYSIS_MAX_TEXT),
	provider: ExtractionProvider
});
export type AnalysisResult = z.infer<typeof AnalysisResult>;
export const AnalysisFailure = z.object({ code: AnalysisErrorCode, message: z.string() });
export type AnalysisFailure = z.infer<typeof AnalysisFailure>;

export const AnalysisEvent = z.discriminatedUnion('event', [
	z.object({ event: z.literal('progress'), data: AnalysisProgress }),
	z.object({ event: z.literal('delta'), data: AnalysisDelta }),
	z.object({ event: z.literal('result'), data: AnalysisResult }),
	z.object({ event: z.literal('error'), data: AnalysisFailure }),
	z.object({ event: z.literal('done'), data: z.object({}) })
]);
export type AnalysisEvent = z.infer<typeof AnalysisEvent>;

/** GET /v1/ai: what the server can run, so the consent toggle can name who receives what. */
export const AiInfo = z.object({
	cloud: z
		.object({
			provider: z.enum(['openai', 'gemini']),
			// The company the data goes to, e.g. "OpenAI".
			vendor: z.string(),
			model: z.string(),
			// What it receives, in plain words.
			receives: z.string()
		})
		.nullable()
});
export type AiInfo = z.infer<typeof AiInfo>;
