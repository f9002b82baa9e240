import { ApiError, FinishReason, GoogleGenAI, type Part } from '@google/genai';
import { z } from 'zod';
import type { Extraction } from '../../../../src/lib/shared/extraction/extraction.ts';
import {
	labTestIndex,
	type LabTestIndex
} from '../../../../src/lib/shared/lab-tests/lab-test-index.ts';
import { loadUcum } from '../../../../src/lib/shared/records/ucum-units.ts';
import { ModelExtraction, parseModelExtraction } from '../cloud/model-extraction.ts';
import {
	ANALYSIS_INSTRUCTIONS,
	analysisRequest,
	EXTRACTION_INSTRUCTIONS,
	imagePagesNote,
	reportText
} from '../cloud/prompts.ts';
import { ProviderAnswerError, ProviderRequestError } from '../cloud/provider-errors.ts';
import { toExtraction } from '../cloud/to-extraction.ts';
import type { ExtractInput, Provider, ProviderCallOptions } from '../provider.ts';

export type GeminiProviderOptions = {
	apiKey: string;
	// Defaults to the SDK's https://generativelanguage.googleapis.com (API version v1beta).
	baseUrl?: string;
	models?: { extract?: string; analyse?: string };
	// Per attempt (the SDK arms a fresh timeout for each retry).
	timeoutMs?: number;
	// Retries after the first attempt on 408, 429 and 5xx, as for the openai provider.
	maxRetries?: number;
	// First back-off delay; it doubles per retry.
	retryDelayMs?: number;
	maxOutputTokens?: number;
	fetch?: typeof fetch;
	index?: LabTestIndex;
	onDropped?: (dropped: Record<string, number>) => void;
};

export const GEMINI_DEFAULTS = {
	models: { extract: 'gemini-2.5-flash', analyse: 'gemini-2.5-flash' },
	timeoutMs: 120_000,
	maxRetries: 2,
	retryDelayMs: 1_000,
	maxOutputTokens: 16_384
};

// The SDK turns a JSON Schema without "$schema" into Gemini's own Schema (nullable instead of
// type arrays, additionalProperties dropped); with "$schema" it would send responseJsonSchema.
const { $schema: _draft, ...RESPONSE_SCHEMA } = z.toJSONSchema(ModelExtraction);

function userParts(input: ExtractInput): Part[] {
	if (input.kind === 'text') return [{ text: reportText(input) }];
	return [
		{ text: imagePagesNote(input) },
		...input.pages.map((page): Part => ({
			inlineData: { mimeType: page.mediaType, data: Buffer.from(page.bytes).toString('base64') }
		}))
	];
}

// SDK errors → ours, keeping the SDK's message out: for a bad stream chunk it quotes the chunk.
function requestError(error: unknown, signal: AbortSignal | undefined): unknown {
	if (signal?.aborted) return signal.reason;
	if (error instanceof ProviderAnswerError || error instanceof ProviderRequestError) return error;
	if (error instanceof ApiError) {
		return new ProviderRequestError(
			'gemini',
			error.status,
			`The Gemini request failed with HTTP ${error.status}`
		);
	}
	const message = error instanceof Error ? error.message : '';
	if (message.startsWith('Incomplete JSON segment')) {
		return new ProviderAnswerError('gemini', 'truncated', 'The stream ended mid-chunk');
	}
	if (message.startsWith('exception parsing stream chunk')) {
		return new ProviderAnswerError('gemini', 'bad-json', 'A streamed chunk is not valid JSON');
	}
	// The SDK aborts an attempt that outlasts httpOptions.timeout with a plain abort; the
	// caller's signal was not aborted (checked above), so here an abort means a timeout.
	if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
		return new ProviderRequestError('gemini', undefined, 'The Gemini request timed out');
	}
	return new ProviderRequestError('gemini', undefined, 'The Gemini request failed');
}

export function createGeminiProvider(options: GeminiProviderOptions): Provider {
	const models = { ...GEMINI_DEFAULTS.models, ...options.models };
	const maxOutputTokens = options.maxOutputTokens ?? GEMINI_DEFAULTS.maxOutputTokens;
	const index = options.index ?? labTestIndex();
	const maxRetries = options.maxRetries ?? GEMINI_DEFAULTS.maxRetries;
	const client = new GoogleGenAI({
		apiKey: options.apiKey,
		httpOptions: {
			...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
			timeout: options.timeoutMs ?? GEMINI_DEFAULTS.timeoutMs,
			retryOptions: {
				attempts: maxRetries + 1,
				initialDelay: (options.retryDelayMs ?? GEMINI_DEFAULTS.retryDelayMs) / 1000
			},
			...(options.fetch ? { fetch: options.fetch } : {})
		}
	});

	async function extract(
		input: ExtractInput,
		{ signal }: ProviderCallOptions = {}
	): Promise<Extraction> {
		const response = await client.models
			.generateContent({
				model: models.extract,
				contents: [{ role: 'user', parts: userParts(input) }],
				config: {
					systemInstruction: EXTRACTION_INSTRUCTIONS,
					responseMimeType: 'application/json',
					responseSchema: RESPONSE_SCHEMA,
					temperature: 0,
					maxOutputTokens,
					...(signal ? { abortSignal: signal } : {})
				}
			})
			.catch((error: unknown) => {
				throw requestError(error, signal);
			});
		const candidate = response.candidates?.[0];
		if (candidate?.finishReason === FinishReason.MAX_TOKENS) {
			throw new ProviderAnswerError('gemini', 'truncated', 'The model answer was cut off');
		}
		if (response.promptFeedback?.blockReason || candidate === undefined) {
			throw new ProviderAnswerError('gemini', 'refused', 'The model declined to answer');
		}
		const text = candidate.content?.parts?.map((part) => part.text ?? '').join('');
		const answer = parseModelExtraction('gemini', text);
		await loadUcum();
		const { extraction, dropped } = toExtraction('gemini', input, answer, index);
		if (Object.keys(dropped).length > 0) options.onDropped?.(dropped);
		return extraction;
	}

	async function* analyse(
		input: Parameters<Provider['analyse']>[0],
		{ signal }: ProviderCallOptions = {}
	): AsyncGenerator<string> {
		// The SDK's stream has no abort of its own: a signal of ours, tied to the caller's, ends
		// the request when the consumer stops early too.
		const controller = new AbortController();
		const forward = () => controller.abort(signal?.reason);
		if (signal?.aborted) forward();
		signal?.addEventListener('abort', forward, { once: true });
		let finished = false;
		try {
			const stream = await client.models.generateContentStream({
				model: models.analyse,
				contents: [{ role: 'user', parts: [{ text: analysisRequest(input) }] }],
				config: {
					systemInstruction: ANALYSIS_INSTRUCTIONS,
					maxOutputTokens,
					abortSignal: controller.signal
				}
			});
			for await (const chunk of stream) {
				const candidate = chunk.candidates?.[0];
				const delta = candidate?.content?.parts?.map((part) => part.text ?? '').join('');
				if (delta) yield delta;
				if (candidate?.finishReason) {
					finished = true;
					if (candidate.finishReason === FinishReason.MAX_TOKENS) {
						throw new ProviderAnswerError('gemini', 'truncated', 'The analysis was cut off');
					}
				}
			}
		} catch (error) {
			throw requestError(error, signal);
		} finally {
			signal?.removeEventListener('abort', forward);
			if (!finished) controller.abort();
		}
		// The SDK ends its stream quietly when the signal aborts it.
		signal?.throwIfAborted();
		if (!finished) {
			throw new ProviderAnswerError('gemini', 'truncated', 'The analysis stream ended early');
		}
	}

	return { name: 'gemini', extract, analyse };
}
