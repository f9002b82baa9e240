// The openai provider through the real openai SDK, pointed at a LOCAL node:http server that
// stands in for the hosted OpenAI API: it speaks POST /v1/chat/completions, answering with
// chat.completion JSON or with text/event-stream chunks ending in `data: [DONE]`. Nothing here
// reaches OpenAI.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Extraction } from '../../src/lib/shared/extraction/extraction.ts';
import {
	ProviderAnswerError,
	ProviderRequestError
} from '../../sync-server/src/ai/cloud/provider-errors.ts';
import {
	createOpenAiProvider,
	type OpenAiProviderOptions
} from '../../sync-server/src/ai/openai/openai-provider.ts';
import {
	ANALYSIS_DELTAS,
	ANALYSIS_INPUT,
	MODEL_ANSWER,
	OPENAI_KEY,
	REPORT,
	REPORT_PAGE_1
} from '../helpers/cloud-fixtures.ts';
import { json, sse, startModelStandIn } from '../helpers/model-stand-in.ts';

type StandIn = Awaited<ReturnType<typeof startModelStandIn>>;
let standIn: StandIn;

beforeEach(async () => {
	standIn = await startModelStandIn();
});
afterEach(async () => {
	await standIn.close();
});

function provider(options: Partial<OpenAiProviderOptions> = {}) {
	return createOpenAiProvider({
		apiKey: OPENAI_KEY,
		baseUrl: `${standIn.origin}/v1`,
		models: { extract: 'gpt-test-extract', analyse: 'gpt-test-analyse' },
		maxRetries: 0,
		...options
	});
}

function completion(content: string, finishReason = 'stop') {
	return {
		id: 'chatcmpl-test',
		object: 'chat.completion',
		created: 1_700_000_000,
		model: 'gpt-test-extract',
		choices: [
			{
				index: 0,
				message: { role: 'assistant', content, refusal: null },
				finish_reason: finishReason,
				logprobs: null
			}
		],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 }
	};
}

function chunk(delta: Record<string, unknown>, finishReason: string | null = null) {
	return JSON.stringify({
		id: 'chatcmpl-test',
		object: 'chat.completion.chunk',
		created: 1_700_000_000,
		model: 'gpt-test-analyse',
		choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }]
	});
}

// The key may appear in the Authorization header and nowhere else the stand-in can see.
function expectKeyOnlyInAuthHeader(request: StandIn['requests'][number]) {
	expect(request.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
	const { authorization: _auth, ...otherHeaders } = request.headers;
	expect(JSON.stringify(otherHeaders)).not.toContain(OPENAI_KEY);
	expect(request.url).not.toContain(OPENAI_KEY);
	expect(request.body).not.toContain(OPENAI_KEY);
}

describe('openai provider (local stand-in for the OpenAI API)', () => {
	it('maps a structured answer onto the Extraction schema, dropping what fails the checks', async () => {
		standIn.reply(json(200, completion(JSON.stringify(MODEL_ANSWER))));
		const dropped: Record<string, number>[] = [];
		const extraction = await provider({ onDropped: (counts) => dropped.push(counts) }).extract(
			REPORT
		);

		expect(Extraction.parse(extraction)).toEqual(extraction);
		expect(extraction.provider).toBe('openai');
		expect(extraction.documentDate).toBe('2026-03-14');
		expect(extraction.patientName).toBe('Jane Example');
		expect(extraction.pages).toEqual([
			{ page: 1, status: 'text' },
			{ page: 2, status: 'text' },
			{ page: 3, status: 'no-text-layer' }
		]);
		expect(
			extraction.results.map((result) => [result.code.code, result.value, result.confidence])
		).toEqual([
			['718-7', { type: 'quantity', value: 11.2, unit: 'g/dL', unitSource: 'report' }, 0.95],
			['2823-3', { type: 'quantity', value: 4.1, unit: 'mmol/L', unitSource: 'report' }, 0.5],
			[
				'1988-5',
				{ type: 'quantity', value: 5, comparator: '<', unit: 'mg/L', unitSource: 'report' },
				0.9
			],
			['5792-7', { type: 'string', value: 'Negative' }, 0.9]
		]);
		const [hemoglobin, potassium, crp, urineGlucose] = extraction.results;
		expect(hemoglobin!.code.display).toBe('Hemoglobin [Mass/volume] in Blood');
		expect(hemoglobin!.interpretation).toBe('L');
		expect(hemoglobin!.interpretationSource).toBe('report');
		const start = REPORT_PAGE_1.indexOf('Haemoglobin');
		expect(hemoglobin!.provenance).toMatchObject({ page: 1, start });
		expect(REPORT_PAGE_1.slice(start, hemoglobin!.provenance.end)).toBe(
			hemoglobin!.provenance.snippet
		);
		// The model's snippet is not on the page: kept, with an empty span and low confidence.
		expect(potassium!.provenance).toMatchObject({ page: 1, start: 0, end: 0 });
		expect(potassium!.interpretation).toBe('N');
		expect(crp!.interpretation).toBe('N');
		expect(urineGlucose!.interpretation).toBe('N');
		expect(dropped).toEqual([{ 'loinc-not-in-table': 1, 'unit-not-ucum': 1 }]);

		const [request] = standIn.requests;
		expect(request!.method).toBe('POST');
		expect(request!.url).toBe('/v1/chat/completions');
		const body = JSON.parse(request!.body);
		expect(body.model).toBe('gpt-test-extract');
		expect(body.response_format.type).toBe('json_schema');
		expect(body.response_format.json_schema.strict).toBe(true);
		expect(body.response_format.json_schema.schema.properties.results.items.required).toContain(
			'loinc'
		);
		expect(body.messages[1].content[0].text).toContain(REPORT_PAGE_1);
		expectKeyOnlyInAuthHeader(request!);
	});

	it('sends page images as image inputs', async () => {
		standIn.reply(json(200, completion(JSON.stringify({ ...MODEL_ANSWER, results: [] }))));
		const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
		const extraction = await provider().extract({
			kind: 'images',
			pages: [{ page: 1, mediaType: 'image/png', bytes }]
		});
		expect(extraction.pages).toEqual([{ page: 1, status: 'text' }]);
		const content = JSON.parse(standIn.requests[0]!.body).messages[1].content;
		expect(content[1]).toEqual({
			type: 'image_url',
			image_url: {
				url: `data:image/png;base64,${Buffer.from(bytes).toString('base64')}`,
				detail: 'high'
			}
		});
	});

	it.each([
		['bad JSON', completion('{"documentDate": "2026-03-14", "results": ['), 'bad-json'],
		[
			'a schema mismatch',
			completion(JSON.stringify({ results: [{ loinc: 7 }] })),
			'schema-mismatch'
		],
		['a truncated answer', completion('{"documentDate":', 'length'), 'truncated'],
		['an empty answer', completion(''), 'empty']
	])('turns %s into a ProviderAnswerError and returns nothing', async (_name, body, problem) => {
		standIn.reply(json(200, body));
		const error = await provider()
			.extract(REPORT)
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(ProviderAnswerError);
		expect(error).toMatchObject({ provider: 'openai', problem });
		// The message names the problem, never the report or the answer.
		expect((error as Error).message).not.toContain('2026-03-14');
		expect((error as Error).message).not.toContain('Haemoglobin');
	});

	it('retries a 500 as many times as configured, then succeeds', async () => {
		standIn.reply(
			json(
				500,
				{ error: { message: 'upstream failed', type: 'server_error' } },
				{ 'retry-after-ms': '1' }
			),
			json(200, completion(JSON.stringify(MODEL_ANSWER)))
		);
		const extraction = await provider({ maxRetries: 1 }).extract(REPORT);
		expect(extraction.results).toHaveLength(4);
		expect(standIn.requests).toHaveLength(2);
		expect(standIn.requests[1]!.body).toBe(standIn.requests[0]!.body);
	});

	it('gives up after a 500 when retries are off, with the status in a ProviderRequestError', async () => {
		standIn.reply(json(500, { error: { message: 'upstream failed', type: 'server_error' } }));
		const error = await provider({ maxRetries: 0 })
			.extract(REPORT)
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(ProviderRequestError);
		expect(error).toMatchObject({ provider: 'openai', status: 500 });
		expect(standIn.requests).toHaveLength(1);
	});

	it('gives up on a request that outlasts the timeout', async () => {
		standIn.reply(() => {}); // never answers
		const error = await provider({ timeoutMs: 100 })
			.extract(REPORT)
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(ProviderRequestError);
		expect(error).toMatchObject({ provider: 'openai', status: undefined });
		expect((error as Error).message).toMatch(/timed out/);
	});

	it('streams an analysis as several deltas in order', async () => {
		standIn.reply(
			sse([
				chunk({ role: 'assistant', content: '' }),
				...ANALYSIS_DELTAS.map((text) => chunk({ content: text })),
				chunk({}, 'stop'),
				'[DONE]'
			])
		);
		const deltas: string[] = [];
		for await (const delta of provider().analyse(ANALYSIS_INPUT)) deltas.push(delta);
		expect(deltas).toEqual(ANALYSIS_DELTAS);

		const request = standIn.requests[0]!;
		expect(request.url).toBe('/v1/chat/completions');
		const body = JSON.parse(request.body);
		expect(body).toMatchObject({ model: 'gpt-test-analyse', stream: true });
		expect(body.messages[1].content).toContain('"718-7"');
		expectKeyOnlyInAuthHeader(request);
	});

	it('treats a stream that stops before its last chunk as truncated', async () => {
		standIn.reply(sse([chunk({ content: ANALYSIS_DELTAS[0] })]));
		const deltas: string[] = [];
		const error = await (async () => {
			for await (const delta of provider().analyse(ANALYSIS_INPUT)) deltas.push(delta);
		})().catch((caught: unknown) => caught);
		expect(deltas).toEqual([ANALYSIS_DELTAS[0]]);
		expect(error).toMatchObject({ name: 'ProviderAnswerError', problem: 'truncated' });
	});

	it('stops the stream and the request when aborted mid-way', async () => {
		standIn.reply(sse([chunk({ content: ANALYSIS_DELTAS[0] })], { hold: true }));
		const controller = new AbortController();
		const deltas: string[] = [];
		const error = await (async () => {
			for await (const delta of provider().analyse(ANALYSIS_INPUT, {
				signal: controller.signal
			})) {
				deltas.push(delta);
				controller.abort(new Error('stopped by the person'));
			}
		})().catch((caught: unknown) => caught);
		expect(deltas).toEqual([ANALYSIS_DELTAS[0]]);
		expect(error).toMatchObject({ message: 'stopped by the person' });
		// The stand-in sees the connection go.
		await standIn.requests[0]!.closed;
	});
});
