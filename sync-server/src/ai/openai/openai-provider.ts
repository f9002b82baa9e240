import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type {
	ChatCompletionContentPart,
	ChatCompletionMessageParam
} from 'openai/resources/chat/completions';
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

export type OpenAiProviderOptions = {
	apiKey: string;
	// Defaults to the SDK's https://api.openai.com/v1; tests and proxies point it elsewhere.
	baseUrl?: string;
	models?: { extract?: string; analyse?: string };
	// Per request attempt; the SDK retries timeouts, 408, 409, 429 and 5xx up to maxRetries times.
	timeoutMs?: number;
	maxRetries?: number;
	maxOutputTokens?: number;
	fetch?: typeof fetch;
	index?: LabTestIndex;
	// Counts of results dropped by the checks, by reason only (no health data), for logging.
	onDropped?: (dropped: Record<string, number>) => void;
};

export const OPENAI_DEFAULTS = {
	models: { extract: 'gpt-4.1-mini', analyse: 'gpt-4.1-mini' },
	timeoutMs: 120_000,
	maxRetries: 2,
	maxOutputTokens: 16_384
};

// The answer format, built once: strict json_schema from the same zod schema the answer is
// parsed with.
const RESPONSE_FORMAT = zodResponseFormat(ModelExtraction, 'lab_report_extraction');

function userContent(input: ExtractInput): ChatCompletionContentPart[] {
	if (input.kind === 'text') return [{ type: 'text', text: reportText(input) }];
	return [
		{ type: 'text', text: imagePagesNote(input) },
		...input.pages.map((page): ChatCompletionContentPart => ({
			type: 'image_url',
			image_url: {
				url: `data:${page.mediaType};base64,${Buffer.from(page.bytes).toString('base64')}`,
				detail: 'high'
			}
		}))
	];
}

// SDK errors → ours; an abort surfaces as the signal's own reason so callers need not know
// which SDK was cancelled. The SDK's message is not kept: it may quote the service's answer.
function requestError(error: unknown, signal: AbortSignal | undefined): unknown {
	if (signal?.aborted) return signal.reason;
	if (error instanceof OpenAI.APIUserAbortError) return error;
	if (error instanceof OpenAI.APIError) {
		const what =
			error instanceof OpenAI.APIConnectionTimeoutError
				? 'timed out'
				: error.status === undefined
					? 'could not connect'
					: `failed with HTTP ${error.status}`;
		return new ProviderRequestError('openai', error.status, `The OpenAI request ${what}`);
	}
	// The SDK parses each streamed chunk with JSON.parse, whose message quotes the chunk.
	if (error instanceof SyntaxError) {
		return new ProviderAnswerError('openai', 'bad-json', 'A streamed chunk is not valid JSON');
	}
	// Anything else (a dropped connection mid-body, …): its message is not ours to pass on.
	return new ProviderRequestError('openai', undefined, 'The OpenAI request failed');
}

export function createOpenAiProvider(options: OpenAiProviderOptions): Provider {
	const models = { ...OPENAI_DEFAULTS.models, ...options.models };
	const maxOutputTokens = options.maxOutputTokens ?? OPENAI_DEFAULTS.maxOutputTokens;
	const index = options.index ?? labTestIndex();
	const client = new OpenAI({
		apiKey: options.apiKey,
		...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
		timeout: options.timeoutMs ?? OPENAI_DEFAULTS.timeoutMs,
		maxRetries: options.maxRetries ?? OPENAI_DEFAULTS.maxRetries,
		...(options.fetch ? { fetch: options.fetch } : {})
	});

	async function extract(
		input: ExtractInput,
		{ signal }: ProviderCallOptions = {}
	): Promise<Extraction> {
		const messages: ChatCompletionMessageParam[] = [
			{ role: 'system', content: EXTRACTION_INSTRUCTIONS },
			{ role: 'user', content: userContent(input) }
		];
		const completion = await client.chat.completions
			.create(
				{
					model: models.extract,
					messages,
					response_format: RESPONSE_FORMAT,
					temperature: 0,
					max_completion_tokens: maxOutputTokens
				},
				{ signal }
			)
			.catch((error: unknown) => {
				throw requestError(error, signal);
			});
		const choice = completion.choices[0];
		if (choice?.finish_reason === 'length') {
			throw new ProviderAnswerError('openai', 'truncated', 'The model answer was cut off');
		}
		if (choice?.message.refusal || choice?.finish_reason === 'content_filter') {
			throw new ProviderAnswerError('openai', 'refused', 'The model declined to answer');
		}
		const answer = parseModelExtraction('openai', choice?.message.content);
		await loadUcum();
		const { extraction, dropped } = toExtraction('openai', input, answer, index);
		if (Object.keys(dropped).length > 0) options.onDropped?.(dropped);
		return extraction;
	}

	async function* analyse(
		input: Parameters<Provider['analyse']>[0],
		{ signal }: ProviderCallOptions = {}
	): AsyncGenerator<string> {
		const stream = await client.chat.completions
			.create(
				{
					model: models.analyse,
					messages: [
						{ role: 'system', content: ANALYSIS_INSTRUCTIONS },
						{ role: 'user', content: analysisRequest(input) }
					],
					stream: true,
					max_completion_tokens: maxOutputTokens
				},
				{ signal }
			)
			.catch((error: unknown) => {
				throw requestError(error, signal);
			});
		let finished = false;
		try {
			for await (const chunk of stream) {
				const choice = chunk.choices[0];
				const delta = choice?.delta.content;
				if (delta) yield delta;
				if (choice?.finish_reason) {
					finished = true;
					if (choice.finish_reason === 'length') {
						throw new ProviderAnswerError('openai', 'truncated', 'The analysis was cut off');
					}
				}
			}
		} catch (error) {
			if (error instanceof ProviderAnswerError) throw error;
			throw requestError(error, signal);
		} finally {
			// A consumer that stops early (break, return) must not leave the request open.
			if (!finished) stream.controller.abort();
		}
		// The SDK ends quietly when the connection closes before the last chunk.
		// The SDK ends its stream quietly when the signal aborts it.
		signal?.throwIfAborted();
		if (!finished) {
			throw new ProviderAnswerError('openai', 'truncated', 'The analysis stream ended early');
		}
	}

	return { name: 'openai', extract, analyse };
}
