// The gemini provider through the real @google/genai SDK, pointed at a LOCAL node:http server
// that stands in for the hosted Gemini API: it speaks POST /v1beta/models/{model}:generateContent
// (JSON) and :streamGenerateContent?alt=sse (`data:` JSON chunks). Nothing here reaches Google.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Extraction } from '../../src/lib/shared/extraction/extraction.ts';
import {
	ProviderAnswerError,
	ProviderRequestError
} from '../../sync-server/src/ai/cloud/provider-errors.ts';
import {
	createGeminiProvider,
	type GeminiProviderOptions
} from '../../sync-server/src/ai/gemini/gemini-provider.ts';
import {
	ANALYSIS_DELTAS,
	ANALYSIS_INPUT,
	GEMINI_KEY,
	MODEL_ANSWER,
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

function provider(options: Partial<GeminiProviderOptions> = {}) {
	return createGeminiProvider({
		apiKey: GEMINI_KEY,
		baseUrl: standIn.origin,
		models: { extract: 'gemini-test-extract', analyse: 'gemini-test-analyse' },
		maxRetries: 0,
		retryDelayMs: 1,
		...options
	});
}

function candidate(text: string, finishReason?: string) {
	return {
		content: { role: 'model', parts: [{ text }] },
		index: 0,
		...(finishReason ? { finishReason } : {})
	};
}

function generated(text: string, finishReason = 'STOP') {
	return {
		candidates: [candidate(text, finishReason)],
		usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 10, totalTokenCount: 20 },
		modelVersion: 'gemini-test-extract'
	};
}

const streamed = (text: string, finishReason?: string) =>
	JSON.stringify({ candidates: [candidate(text, finishReason)] });

// The key may appear in the x-goog-api-key header and nowhere else the stand-in can see.
function expectKeyOnlyInKeyHeader(request: StandIn['requests'][number]) {
	expect(request.headers['x-goog-api-key']).toBe(GEMINI_KEY);
	const { 'x-goog-api-key': _key, ...otherHeaders } = request.headers;
	expect(JSON.stringify(otherHeaders)).not.toContain(GEMINI_KEY);
	expect(request.url).not.toContain(GEMINI_KEY);
	expect(request.body).not.toContain(GEMINI_KEY);
}

describe('gemini provider (local stand-in for the Gemini API)', () => {
	it('maps a JSON answer onto the Extraction schema, dropping what fails the checks', async () => {
		standIn.reply(json(200, generated(JSON.stringify(MODEL_ANSWER))));
		const dropped: Record<string, number>[] = [];
		const extraction = await provider({ onDropped: (counts) => dropped.push(counts) }).extract(
			REPORT
		);

		expect(Extraction.parse(extraction)).toEqual(extraction);
		expect(extraction).toMatchObject({
			provider: 'gemini',
			documentDate: '2026-03-14',
			patientName: 'Jane Example'
		});
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
		expect(extraction.results[0]!.interpretation).toBe('L');
		expect(dropped).toEqual([{ 'loinc-not-in-table': 1, 'unit-not-ucum': 1 }]);

		const [request] = standIn.requests;
		expect(request!.method).toBe('POST');
		expect(request!.url).toBe('/v1beta/models/gemini-test-extract:generateContent');
		const body = JSON.parse(request!.body);
		expect(body.generationConfig.responseMimeType).toBe('application/json');
		const schema = body.generationConfig.responseSchema;
		expect(schema.type).toBe('OBJECT');
		expect(schema.properties.results.items.required).toContain('loinc');
		expect(schema.properties.documentDate).toMatchObject({ type: 'STRING', nullable: true });
		expect(body.contents[0].parts[0].text).toContain(REPORT_PAGE_1);
		expect(body.systemInstruction.parts[0].text).toContain('LOINC');
		expectKeyOnlyInKeyHeader(request!);
	});

	it('sends page images as inline data', async () => {
		standIn.reply(json(200, generated(JSON.stringify({ ...MODEL_ANSWER, results: [] }))));
		const bytes = new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3]);
		await provider().extract({
			kind: 'images',
			pages: [{ page: 1, mediaType: 'image/jpeg', bytes }]
		});
		const parts = JSON.parse(standIn.requests[0]!.body).contents[0].parts;
		expect(parts[1]).toEqual({
			inlineData: { mimeType: 'image/jpeg', data: Buffer.from(bytes).toString('base64') }
		});
	});

	it.each([
		['bad JSON', generated('{"documentDate": "2026-03-14", "results": ['), 'bad-json'],
		[
			'a schema mismatch',
			generated(JSON.stringify({ documentDate: null, results: 'Haemoglobin 11.2' })),
			'schema-mismatch'
		],
		['a truncated answer', generated('{"documentDate":', 'MAX_TOKENS'), 'truncated'],
		['an empty answer', generated(''), 'empty']
	])('turns %s into a ProviderAnswerError and returns nothing', async (_name, body, problem) => {
		standIn.reply(json(200, body));
		const error = await provider()
			.extract(REPORT)
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(ProviderAnswerError);
		expect(error).toMatchObject({ provider: 'gemini', problem });
		expect((error as Error).message).not.toContain('2026-03-14');
		expect((error as Error).message).not.toContain('Haemoglobin');
	});

	it('retries a 500 as many times as configured, then succeeds', async () => {
		const failure = { error: { code: 500, message: 'upstream failed', status: 'INTERNAL' } };
		standIn.reply(json(500, failure), json(200, generated(JSON.stringify(MODEL_ANSWER))));
		const extraction = await provider({ maxRetries: 1 }).extract(REPORT);
		expect(extraction.results).toHaveLength(4);
		expect(standIn.requests).toHaveLength(2);
		expect(standIn.requests[1]!.body).toBe(standIn.requests[0]!.body);
	});

	it('gives up after a 500 when retries are off, with the status in a ProviderRequestError', async () => {
		standIn.reply(
			json(500, { error: { code: 500, message: 'upstream failed', status: 'INTERNAL' } })
		);
		const error = await provider({ maxRetries: 0 })
			.extract(REPORT)
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(ProviderRequestError);
		expect(error).toMatchObject({ provider: 'gemini', status: 500 });
		expect(standIn.requests).toHaveLength(1);
	});

	it('gives up on a request that outlasts the timeout', async () => {
		standIn.reply(() => {}); // never answers
		const error = await provider({ timeoutMs: 100 })
			.extract(REPORT)
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(ProviderRequestError);
		expect(error).toMatchObject({ provider: 'gemini', status: undefined });
		expect((error as Error).message).toMatch(/timed out/);
	});

	it('streams an analysis as several deltas in order', async () => {
		standIn.reply(
			sse(
				ANALYSIS_DELTAS.map((text, index) =>
					streamed(text, index === ANALYSIS_DELTAS.length - 1 ? 'STOP' : undefined)
				)
			)
		);
		const deltas: string[] = [];
		for await (const delta of provider().analyse(ANALYSIS_INPUT)) deltas.push(delta);
		expect(deltas).toEqual(ANALYSIS_DELTAS);

		const request = standIn.requests[0]!;
		expect(request.url).toBe('/v1beta/models/gemini-test-analyse:streamGenerateContent?alt=sse');
		const body = JSON.parse(request.body);
		expect(body.contents[0].parts[0].text).toContain('"718-7"');
		expectKeyOnlyInKeyHeader(request);
	});

	it('treats a stream cut mid-chunk as truncated', async () => {
		standIn.reply((_request, response) => {
			response.writeHead(200, { 'content-type': 'text/event-stream' });
			response.end(`data: ${streamed(ANALYSIS_DELTAS[0]!)}\n\ndata: {"candidates":[{"con`);
		});
		const deltas: string[] = [];
		const error = await (async () => {
			for await (const delta of provider().analyse(ANALYSIS_INPUT)) deltas.push(delta);
		})().catch((caught: unknown) => caught);
		expect(deltas).toEqual([ANALYSIS_DELTAS[0]]);
		expect(error).toMatchObject({ name: 'ProviderAnswerError', problem: 'truncated' });
	});

	it('stops the stream and the request when aborted mid-way', async () => {
		standIn.reply(sse([streamed(ANALYSIS_DELTAS[0]!)], { hold: true }));
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
		await standIn.requests[0]!.closed;
	});
});
