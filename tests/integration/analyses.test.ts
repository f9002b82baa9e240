import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openJobEvent } from '../../src/lib/crypto/job-event.ts';
import { exportPublicKey, generateUserKeyPair } from '../../src/lib/crypto/key-pair.ts';
import type { CryptoKeyPair } from '../../src/lib/crypto/webcrypto.ts';
import {
	AiInfo,
	ANALYSIS_MAX_RECORDS,
	AnalysisEvent,
	CreateAnalysisResponse
} from '../../src/lib/shared/analyses.ts';
import { ApiErrorBody } from '../../src/lib/shared/api-error.ts';
import { recordSchemas } from '../../src/lib/shared/records/index.ts';
import { createGeminiProvider } from '../../sync-server/src/ai/gemini/gemini-provider.ts';
import { createLocalProvider } from '../../sync-server/src/ai/local/local-provider.ts';
import { createOpenAiProvider } from '../../sync-server/src/ai/openai/openai-provider.ts';
import type { Provider } from '../../sync-server/src/ai/provider.ts';
import { createApp, type App } from '../../sync-server/src/app.ts';
import { createHttpServer, type HttpServer } from '../../sync-server/src/http-server.ts';
import { createJobStore, type JobStore } from '../../sync-server/src/jobs/job-store.ts';
import { createLogger } from '../../sync-server/src/logger.ts';
import { missingBuildHandler } from '../../sync-server/src/page-handler.ts';
import { migrate } from '../../sync-server/src/store/migrate.ts';
import type { Store } from '../../sync-server/src/store/store.ts';
import { createClientAccount, derivePasswordKeys, signupBody } from '../helpers/auth-client.ts';
import { ANALYSIS_INPUT, GEMINI_KEY, OPENAI_KEY } from '../helpers/cloud-fixtures.ts';
import { storeKinds } from '../helpers/databases.ts';
import { sse, startModelStandIn } from '../helpers/model-stand-in.ts';
import { readSse, type SseFrame } from '../helpers/sse-reader.ts';

// POST /v1/analyses, GET /v1/analyses/:id/events, DELETE /v1/analyses/:id and GET /v1/ai,
// through app.request (web streams) and the real node:http server, with the local provider,
// and with the openai and gemini providers (their real SDKs) against local stand-in servers.

const migrationsDir = new URL('../../supabase/migrations', import.meta.url).pathname;
const HEARTBEAT_MS = 100;
const SECRET = new Uint8Array(32).fill(5);

// A provider whose deltas the test hands over one by one while `script` is set, so a stream
// can be cut while the job is still writing; the local provider otherwise.
function scriptedProvider() {
	const local = createLocalProvider();
	const queue: string[] = [];
	let ended = false;
	let wake = () => {};
	const state = {
		scripted: false,
		signals: [] as AbortSignal[],
		push(text: string) {
			queue.push(text);
			wake();
		},
		end() {
			ended = true;
			wake();
		},
		reset() {
			queue.length = 0;
			ended = false;
			state.scripted = true;
		}
	};
	async function* scripted(signal: AbortSignal | undefined): AsyncGenerator<string> {
		for (;;) {
			signal?.throwIfAborted();
			if (queue.length > 0) {
				yield queue.shift()!;
				continue;
			}
			if (ended) return;
			await new Promise<void>((resolve) => {
				wake = resolve;
				signal?.addEventListener('abort', () => resolve(), { once: true });
			});
		}
	}
	const provider: Provider = {
		name: 'local',
		extract: (input, options) => local.extract(input, options),
		analyse(input, options = {}) {
			if (options.signal) state.signals.push(options.signal);
			return state.scripted ? scripted(options.signal) : local.analyse(input, options);
		}
	};
	return { provider, state };
}

const observation = (code: string, display: string, value: number, date: string, flag?: string) =>
	({
		kind: 'observation',
		id: randomUUID(),
		data: {
			category: 'laboratory',
			status: 'final',
			code: { code, display },
			value: { type: 'quantity', value, unit: 'g/dL' },
			referenceRange: { low: 12, high: 15.5 },
			...(flag ? { interpretation: flag } : {}),
			effectiveDateTime: date
		}
	}) as const;

const RECORDS = [
	observation('718-7', 'Haemoglobin', 11.2, '2026-03-14', 'L'),
	observation('718-7', 'Haemoglobin', 12.8, '2026-06-02'),
	{
		kind: 'medication-statement',
		id: randomUUID(),
		data: recordSchemas['medication-statement'].parse({
			medication: { display: 'Ferrous sulfate 200 mg' },
			status: 'active'
		})
	},
	{
		kind: 'allergy-intolerance',
		id: randomUUID(),
		data: recordSchemas['allergy-intolerance'].parse({ substance: { display: 'Penicillin' } })
	}
];

describe.each(storeKinds)('analyses on $name', ({ available, open }) => {
	let store: Store;
	let dispose: () => Promise<void>;
	let jobs: JobStore;
	let app: App;
	let http: HttpServer;
	let base: string;
	let alice: string;
	let bob: string;
	let aliceId: string;
	const scripted = scriptedProvider();
	const logLines: string[] = [];
	const logger = createLogger('info', { write: (line: string) => void logLines.push(line) });

	async function signUp(name: string): Promise<string> {
		const keys = await createClientAccount(await derivePasswordKeys(`analyses ${name}`));
		const response = await app.request('/v1/auth/signup', {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.9.0.${name.length}` },
			body: JSON.stringify(signupBody(keys, `analyses-${name}-${randomUUID().slice(0, 8)}@x.org`))
		});
		expect(response.status).toBe(201);
		return response.headers.getSetCookie()[0]!.split(';', 1)[0]!;
	}

	beforeAll(async () => {
		if (!available) return;
		({ store, dispose } = await open());
		await migrate(store, migrationsDir);
		jobs = createJobStore();
		app = createApp({
			store,
			version: 'test',
			logger,
			auth: { secret: SECRET, trustedProxyHops: 1 },
			events: { heartbeatMs: HEARTBEAT_MS },
			ai: { localProvider: scripted.provider, jobs, coalesceMs: 5 }
		});
		http = createHttpServer({ app, pages: missingBuildHandler('build') });
		await new Promise<void>((resolve) => http.server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;
		alice = await signUp('alice');
		bob = await signUp('bob');
		const me = await app.request('/v1/auth/session', { headers: { cookie: alice } });
		aliceId = ((await me.json()) as { user: { id: string } }).user.id;
	});
	afterAll(async () => {
		jobs?.close();
		await http?.close(1000);
		await dispose?.();
	});
	beforeEach((context) => {
		if (!available) context.skip('PostgreSQL is not reachable');
		scripted.state.scripted = false;
	});

	async function jobKey() {
		const pair = await generateUserKeyPair();
		return { pair, jwk: await exportPublicKey(pair.publicKey, 'jwk') };
	}

	function post(cookie: string | undefined, body: unknown, target: App = app) {
		const headers: Record<string, string> = { 'content-type': 'application/json' };
		if (cookie) headers.cookie = cookie;
		return target.request('/v1/analyses', {
			method: 'POST',
			headers,
			body: typeof body === 'string' ? body : JSON.stringify(body)
		});
	}

	async function start(
		{ records = RECORDS, processing = 'local' }: { records?: unknown[]; processing?: string } = {},
		target: App = app
	) {
		const key = await jobKey();
		const response = await post(alice, { publicKey: key.jwk, processing, records }, target);
		expect(response.status).toBe(202);
		const { analysisId } = CreateAnalysisResponse.parse(await response.json());
		return { analysisId, pair: key.pair };
	}

	function events(cookie: string | undefined, id: string, lastEventId?: string, target = app) {
		const headers: Record<string, string> = {};
		if (cookie) headers.cookie = cookie;
		if (lastEventId) headers['last-event-id'] = lastEventId;
		return target.request(`/v1/analyses/${id}/events`, { headers });
	}

	async function allFrames(response: Response): Promise<SseFrame[]> {
		expect(response.status).toBe(200);
		const stream = readSse(response.body!);
		await stream.ended(10_000);
		return stream.frames.filter((frame) => frame.event !== undefined);
	}

	async function openAll(pair: CryptoKeyPair, id: string, frames: SseFrame[]) {
		return Promise.all(
			frames.map(async (frame) =>
				AnalysisEvent.parse({
					event: frame.event,
					data: await openJobEvent({
						recipient: pair,
						binding: { jobId: id, id: frame.id!, event: frame.event! },
						sealed: frame.data!
					})
				})
			)
		);
	}

	const deltaText = (opened: AnalysisEvent[]) =>
		opened.flatMap((event) => (event.event === 'delta' ? [event.data.text] : [])).join('');

	async function rejected(response: Response, status: number, code: string) {
		expect(response.status).toBe(status);
		const body = ApiErrorBody.parse(await response.json());
		expect(body.error.code).toBe(code);
		return body.error;
	}

	it('streams the summary as sealed deltas in order, then the whole text, then done', async () => {
		const { analysisId, pair } = await start();
		const frames = await allFrames(await events(alice, analysisId));
		expect(frames.map((frame) => frame.id)).toEqual(frames.map((_, i) => String(i + 1)));
		for (const frame of frames) expect(frame.data).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(frames.map((frame) => frame.data).join('')).not.toContain('Haemoglobin');

		const opened = await openAll(pair, analysisId, frames);
		expect(opened[0]).toEqual({
			event: 'progress',
			data: { stage: 'analysing', provider: 'local' }
		});
		expect(opened.filter((event) => event.event === 'delta').length).toBeGreaterThan(0);
		expect(opened.slice(-2).map((event) => event.event)).toEqual(['result', 'done']);
		const result = opened.at(-2)!;
		if (result.event !== 'result') throw new Error('unreachable');
		expect(result.data.provider).toBe('local');
		expect(result.data.text).toBe(deltaText(opened));
		expect(result.data.text).toContain('Haemoglobin on 2026-03-14 was low (11.2 g/dL).');
		expect(result.data.text).toContain('Haemoglobin rose from 11.2 g/dL (2026-03-14)');
		expect(result.data.text).toContain('Allergies on record: Penicillin.');
	});

	it('loses and repeats no delta when the stream is cut mid-way and resumed with Last-Event-ID', async () => {
		scripted.state.reset();
		const { analysisId, pair } = await start();
		const abort = new AbortController();
		const first = await fetch(`${base}/v1/analyses/${analysisId}/events`, {
			headers: { cookie: alice },
			signal: abort.signal
		});
		expect(first.headers.get('content-type')).toMatch(/^text\/event-stream/);
		const stream = readSse(first.body!);
		await stream.next((frame) => frame.id === '1'); // progress
		scripted.state.push('Haemoglobin was low ');
		await stream.next((frame) => frame.id === '2');
		scripted.state.push('in March ');
		const seen = await stream.next((frame) => frame.id === '3');
		await stream.next((frame) => frame.comment === 'heartbeat', HEARTBEAT_MS * 20);
		abort.abort();
		const userJob = () => jobs.find('analysis', analysisId, aliceId);
		await expect.poll(() => userJob()?.listening).toBe(0);

		// The work goes on with nobody listening.
		scripted.state.push('and normal ');
		scripted.state.push('in June.');
		scripted.state.end();
		await expect.poll(() => userJob()?.finished).toBe(true);

		const resumed = await fetch(`${base}/v1/analyses/${analysisId}/events`, {
			headers: { cookie: alice, 'last-event-id': seen.id! }
		});
		const rest = await allFrames(resumed);
		const before = stream.frames.filter((frame) => frame.event);
		const ids = [...before, ...rest].map((frame) => Number(frame.id));
		expect(ids).toEqual(ids.map((_, i) => i + 1));
		const opened = await openAll(pair, analysisId, [...before, ...rest]);
		expect(deltaText(opened)).toBe('Haemoglobin was low in March and normal in June.');
		const result = opened.at(-2)!;
		expect(result).toEqual({
			event: 'result',
			data: { text: 'Haemoglobin was low in March and normal in June.', provider: 'local' }
		});
		// Resuming after the last id replays nothing and ends at once.
		expect(await allFrames(await events(alice, analysisId, String(ids.at(-1))))).toEqual([]);
	});

	it('cancels: the provider call is aborted and the stream ends with error cancelled, then done', async () => {
		scripted.state.reset();
		const { analysisId, pair } = await start();
		const response = await events(alice, analysisId);
		const stream = readSse(response.body!);
		scripted.state.push('Partial ');
		await stream.next((frame) => frame.event === 'delta');
		const signal = scripted.state.signals.at(-1)!;

		await rejected(
			await app.request(`/v1/analyses/${analysisId}`, {
				method: 'DELETE',
				headers: { cookie: bob }
			}),
			404,
			'analysis_not_found'
		);
		expect(signal.aborted).toBe(false);
		const cancelled = await app.request(`/v1/analyses/${analysisId}`, {
			method: 'DELETE',
			headers: { cookie: alice }
		});
		expect(cancelled.status).toBe(204);
		await stream.ended();
		expect(signal.aborted).toBe(true);
		const opened = await openAll(
			pair,
			analysisId,
			stream.frames.filter((frame) => frame.event)
		);
		expect(opened.slice(-2)).toEqual([
			{ event: 'error', data: { code: 'cancelled', message: 'The analysis was cancelled.' } },
			{ event: 'done', data: {} }
		]);
		expect(opened.some((event) => event.event === 'result')).toBe(false);
	});

	it('answers 401 without a session and the same 404 for another user’s analysis or none', async () => {
		const { jwk } = await jobKey();
		await rejected(
			await post(undefined, { publicKey: jwk, records: RECORDS }),
			401,
			'unauthenticated'
		);
		await rejected(await app.request('/v1/ai'), 401, 'unauthenticated');
		const { analysisId } = await start();
		await rejected(await events(undefined, analysisId), 401, 'unauthenticated');
		await rejected(
			await app.request(`/v1/analyses/${analysisId}`, { method: 'DELETE' }),
			401,
			'unauthenticated'
		);
		const bodies = [];
		for (const id of [analysisId, randomUUID(), 'not-a-uuid']) {
			const response = await events(bob, id);
			expect(response.status).toBe(404);
			bodies.push(await response.json());
		}
		expect(bodies[0]).toEqual(bodies[1]);
		expect(bodies[1]).toEqual(bodies[2]);
		await rejected(await events(alice, analysisId, 'nope'), 400, 'invalid_request');
		// Its owner still reads it to the end.
		expect((await allFrames(await events(alice, analysisId))).at(-1)?.event).toBe('done');
	});

	it('refuses bad bodies with 400 and the field errors, and starts nothing', async () => {
		const { jwk } = await jobKey();
		const issues = async (body: unknown) =>
			(
				(await rejected(await post(alice, body), 400, 'invalid_request')).details as {
					issues: { path: (string | number)[] }[];
				}
			).issues.map((issue) => issue.path.join('.'));

		expect(await issues({ records: RECORDS })).toContain('publicKey');
		expect(await issues({ publicKey: { ...jwk, crv: 'P-384' }, records: RECORDS })).toContain(
			'publicKey.crv'
		);
		expect(await issues({ publicKey: { ...jwk, x: jwk.y }, records: RECORDS })).toEqual([
			'publicKey'
		]);
		expect(await issues({ publicKey: jwk, records: [] })).toEqual(['records']);
		expect(await issues({ publicKey: jwk, records: RECORDS, processing: 'mars' })).toEqual([
			'processing'
		]);
		// No cloud provider is configured on this app.
		expect(await issues({ publicKey: jwk, records: RECORDS, processing: 'cloud' })).toEqual([
			'processing'
		]);
		const badUnit = observation('718-7', 'Haemoglobin', 11.2, '2026-03-14');
		expect(
			await issues({
				publicKey: jwk,
				records: [
					{
						...badUnit,
						data: {
							...badUnit.data,
							value: { type: 'quantity', value: 1, unit: 'grams per bucket' }
						}
					}
				]
			})
		).toEqual(['records.0.data.value.unit']);
		expect(
			await issues({ publicKey: jwk, records: [{ kind: 'note', id: 'n', data: { title: 'x' } }] })
		).toEqual(['records.0.kind']);
		expect(
			await issues({
				publicKey: jwk,
				records: Array.from({ length: ANALYSIS_MAX_RECORDS + 1 }, () => RECORDS[3])
			})
		).toEqual(['records']);
		expect(await issues('{"publicKey":')).toEqual(['']);
		const form = await app.request('/v1/analyses', {
			method: 'POST',
			headers: { cookie: alice, 'content-type': 'text/plain' },
			body: 'hello'
		});
		await rejected(form, 400, 'invalid_request');
		const huge = { publicKey: jwk, records: RECORDS, padding: 'x'.repeat(1024 * 1024) };
		await rejected(await post(alice, huge), 413, 'payload_too_large');
		expect(jobs.running('analysis', aliceId)).toBe(0);
	});

	it('says on GET /v1/ai that no cloud provider is configured', async () => {
		const response = await app.request('/v1/ai', { headers: { cookie: alice } });
		expect(response.status).toBe(200);
		expect(AiInfo.parse(await response.json())).toEqual({ cloud: null });
	});

	it('checks the optional processing field of POST /v1/imports', async () => {
		const { jwk } = await jobKey();
		for (const [processing, status] of [
			['cloud', 400],
			['bogus', 400],
			['local', 202]
		] as const) {
			const form = new FormData();
			form.append('file', new Blob(['Sodium  140  mmol/L'], { type: 'text/plain' }), 'r.txt');
			form.append('publicKey', JSON.stringify(jwk));
			form.append('processing', processing);
			const response = await app.request('/v1/imports', {
				method: 'POST',
				headers: { cookie: alice },
				body: form
			});
			expect(response.status).toBe(status);
			if (status === 400) {
				const body = ApiErrorBody.parse(await response.json());
				expect(body.error.details).toMatchObject({ issues: [{ path: ['processing'] }] });
			}
		}
	});

	describe('with a cloud provider', () => {
		let standIn: Awaited<ReturnType<typeof startModelStandIn>>;
		let openaiApp: App;
		let geminiApp: App;

		beforeAll(async () => {
			if (!available) return;
			standIn = await startModelStandIn();
			const common = {
				store,
				version: 'test',
				logger,
				auth: { secret: SECRET, trustedProxyHops: 1 },
				events: { heartbeatMs: HEARTBEAT_MS }
			};
			openaiApp = createApp({
				...common,
				ai: {
					jobs,
					cloud: {
						provider: createOpenAiProvider({
							apiKey: OPENAI_KEY,
							baseUrl: `${standIn.origin}/v1`,
							models: { analyse: 'gpt-test-analyse' },
							maxRetries: 0
						}),
						info: { provider: 'openai', vendor: 'OpenAI', model: 'gpt-test-analyse', receives: 'x' }
					}
				}
			});
			geminiApp = createApp({
				...common,
				ai: {
					jobs,
					cloud: {
						provider: createGeminiProvider({
							apiKey: GEMINI_KEY,
							baseUrl: standIn.origin,
							models: { analyse: 'gemini-test-analyse' },
							maxRetries: 0
						}),
						info: {
							provider: 'gemini',
							vendor: 'Google',
							model: 'gemini-test-analyse',
							receives: 'x'
						}
					}
				}
			});
		});
		afterAll(async () => {
			await standIn?.close();
		});

		const openaiChunk = (content: string | undefined, finish: string | null = null) =>
			JSON.stringify({
				id: 'chatcmpl-test',
				object: 'chat.completion.chunk',
				created: 1_700_000_000,
				model: 'gpt-test-analyse',
				choices: [
					{ index: 0, delta: content ? { content } : {}, finish_reason: finish, logprobs: null }
				]
			});
		const geminiChunk = (text: string, finishReason?: string) =>
			JSON.stringify({
				candidates: [
					{
						content: { role: 'model', parts: [{ text }] },
						index: 0,
						...(finishReason ? { finishReason } : {})
					}
				]
			});

		async function run(target: App, processing = 'cloud') {
			const { analysisId, pair } = await start(
				{ records: ANALYSIS_INPUT.records, processing },
				target
			);
			const frames = await allFrames(await events(alice, analysisId, undefined, target));
			return openAll(pair, analysisId, frames);
		}

		it('says on GET /v1/ai who the cloud provider is', async () => {
			const response = await openaiApp.request('/v1/ai', { headers: { cookie: alice } });
			expect(AiInfo.parse(await response.json()).cloud).toMatchObject({
				provider: 'openai',
				vendor: 'OpenAI'
			});
		});

		it('streams an openai analysis through the SDK for processing cloud, and only then', async () => {
			const requestsBefore = standIn.requests.length;
			standIn.reply(
				sse([
					openaiChunk(''),
					openaiChunk('Haemoglobin '),
					openaiChunk('was low.'),
					openaiChunk(undefined, 'stop'),
					'[DONE]'
				])
			);
			const opened = await run(openaiApp);
			expect(opened[0]).toEqual({
				event: 'progress',
				data: { stage: 'analysing', provider: 'openai' }
			});
			expect(opened.slice(-2)).toEqual([
				{ event: 'result', data: { text: 'Haemoglobin was low.', provider: 'openai' } },
				{ event: 'done', data: {} }
			]);
			expect(deltaText(opened)).toBe('Haemoglobin was low.');
			const request = standIn.requests.at(-1)!;
			expect(request.url).toBe('/v1/chat/completions');
			expect(JSON.parse(request.body)).toMatchObject({ model: 'gpt-test-analyse', stream: true });

			// processing 'local' on the same server: the local provider, nothing sent out.
			const local = await run(openaiApp, 'local');
			expect(local[0]).toMatchObject({ data: { provider: 'local' } });
			expect(standIn.requests.length).toBe(requestsBefore + 1);
		});

		it('turns a malformed openai stream into a typed error and no result', async () => {
			standIn.reply(sse([openaiChunk('Haemoglobin '), '{"choices": [ not json']));
			const opened = await run(openaiApp);
			expect(opened.some((event) => event.event === 'result')).toBe(false);
			expect(opened.slice(-2)).toEqual([
				{ event: 'error', data: { code: 'bad-answer', message: expect.any(String) } },
				{ event: 'done', data: {} }
			]);
		});

		it('streams a gemini analysis through the SDK', async () => {
			standIn.reply(sse([geminiChunk('Haemoglobin '), geminiChunk('was low.', 'STOP')]));
			const opened = await run(geminiApp);
			expect(opened.slice(-2)).toEqual([
				{ event: 'result', data: { text: 'Haemoglobin was low.', provider: 'gemini' } },
				{ event: 'done', data: {} }
			]);
			expect(standIn.requests.at(-1)!.url).toBe(
				'/v1beta/models/gemini-test-analyse:streamGenerateContent?alt=sse'
			);
		});

		it('turns a gemini stream cut mid-chunk into a typed error and no result', async () => {
			standIn.reply((_request, response) => {
				response.writeHead(200, { 'content-type': 'text/event-stream' });
				response.end(`data: ${geminiChunk('Haemoglobin ')}\n\ndata: {"candidates":[{"con`);
			});
			const opened = await run(geminiApp);
			expect(opened.some((event) => event.event === 'result')).toBe(false);
			expect(opened.at(-2)).toMatchObject({ event: 'error', data: { code: 'bad-answer' } });
		});

		it('reports a provider that fails over HTTP as provider-failed', async () => {
			standIn.reply((_request, response) => {
				response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{}}');
			});
			const opened = await run(openaiApp);
			expect(opened.at(-2)).toMatchObject({ event: 'error', data: { code: 'provider-failed' } });
		});
	});

	it('writes nothing of the records or the summaries to the server log', async () => {
		const logged = logLines.join('');
		expect(logged).toContain('analysis finished');
		expect(logged).not.toMatch(/Haemoglobin|Penicillin|Ferrous|g\/dL/i);
		expect(logged).not.toContain(OPENAI_KEY);
		expect(logged).not.toContain(GEMINI_KEY);
	});
});
