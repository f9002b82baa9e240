import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJobEvent } from '../../src/lib/crypto/job-event.ts';
import { exportPublicKey, generateUserKeyPair } from '../../src/lib/crypto/key-pair.ts';
import type { CryptoKeyPair } from '../../src/lib/crypto/webcrypto.ts';
import { ApiErrorBody } from '../../src/lib/shared/api-error.ts';
import type { SessionResponse } from '../../src/lib/shared/auth.ts';
import {
	CreateImportResponse,
	IMPORT_MAX_FILE_BYTES,
	ImportEvent
} from '../../src/lib/shared/imports.ts';
import { createLocalProvider } from '../../sync-server/src/ai/local/local-provider.ts';
import type { Provider } from '../../sync-server/src/ai/provider.ts';
import { createApp, type App } from '../../sync-server/src/app.ts';
import { createHttpServer, type HttpServer } from '../../sync-server/src/http-server.ts';
import { createImportJobs, type ImportJobs } from '../../sync-server/src/jobs/import-jobs.ts';
import { createLogger } from '../../sync-server/src/logger.ts';
import { missingBuildHandler } from '../../sync-server/src/page-handler.ts';
import { migrate } from '../../sync-server/src/store/migrate.ts';
import type { Store } from '../../sync-server/src/store/store.ts';
import { createApiClient, type ApiClient } from '../helpers/api-client.ts';
import { createClientAccount, derivePasswordKeys, signupBody } from '../helpers/auth-client.ts';
import { storeKinds } from '../helpers/databases.ts';
import {
	expectedKeys,
	extractedKeys,
	loadGoldenSet,
	type GoldenCase
} from '../helpers/golden-extraction.ts';
import { readSse, type SseFrame } from '../helpers/sse-reader.ts';
import { textPdf } from '../helpers/text-pdf.ts';

// POST /v1/imports and GET /v1/imports/:id/events, through app.request (web streams) and the
// real node:http server (sse-sink's Node path). Jobs live in memory and touch the database only
// for the session, so one store (PGlite) is enough here.

const migrationsDir = new URL('../../supabase/migrations', import.meta.url).pathname;
const HEARTBEAT_MS = 100;
const pglite = storeKinds.find((kind) => kind.name === 'pglite')!;

// The local provider, held at `extract` while a test keeps the gate shut: lets a test cut a
// stream while the job is still working.
function gatedProvider() {
	const local = createLocalProvider();
	let gate: Promise<void> | undefined;
	let open = () => {};
	const provider: Provider = {
		name: 'local',
		async extract(input, options) {
			await gate;
			return local.extract(input, options);
		},
		analyse: (input, options) => local.analyse(input, options)
	};
	return {
		provider,
		shut() {
			gate = new Promise((resolve) => (open = resolve));
		},
		open: () => open()
	};
}

describe('import jobs', () => {
	let store: Store;
	let dispose: () => Promise<void>;
	let app: App;
	let jobs: ImportJobs;
	let http: HttpServer;
	let base: string;
	let alice: ApiClient;
	let bob: ApiClient;
	const gated = gatedProvider();
	const logLines: string[] = [];
	let golden: GoldenCase[];

	async function signUp(name: string) {
		const keys = await createClientAccount(await derivePasswordKeys(`imports ${name}`));
		const client = createApiClient(app);
		const email = `imports-${name}-${randomUUID().slice(0, 8)}@example.org`;
		const signedUp = await client.request<SessionResponse>('POST', '/v1/auth/signup', {
			json: signupBody(keys, email)
		});
		expect(signedUp.status).toBe(201);
		return client;
	}

	beforeAll(async () => {
		({ store, dispose } = await pglite.open());
		await migrate(store, migrationsDir);
		const logger = createLogger('info', { write: (line: string) => void logLines.push(line) });
		jobs = createImportJobs({ provider: gated.provider, logger });
		app = createApp({
			store,
			version: 'test',
			logger,
			auth: { secret: new Uint8Array(32).fill(9), trustedProxyHops: 1 },
			events: { heartbeatMs: HEARTBEAT_MS },
			imports: { jobs }
		});
		http = createHttpServer({ app, pages: missingBuildHandler('build') });
		await new Promise<void>((resolve) => http.server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;
		alice = await signUp('alice');
		bob = await signUp('bob');
		golden = loadGoldenSet();
	});
	afterAll(async () => {
		jobs?.close();
		await http?.close(1000);
		await dispose?.();
	});

	async function jobKey() {
		const pair = await generateUserKeyPair();
		return { pair, jwk: JSON.stringify(await exportPublicKey(pair.publicKey, 'jwk')) };
	}

	function upload(
		client: ApiClient | undefined,
		{
			bytes,
			type,
			publicKey,
			name = 'report'
		}: { bytes?: Uint8Array; type?: string; publicKey?: string; name?: string }
	) {
		const form = new FormData();
		if (bytes) form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), name);
		if (publicKey !== undefined) form.append('publicKey', publicKey);
		const headers: Record<string, string> = {};
		if (client) {
			headers.cookie = client.cookieHeader();
			headers['x-forwarded-for'] = client.ip;
		}
		return app.request('/v1/imports', { method: 'POST', headers, body: form });
	}

	async function start(client: ApiClient, bytes: Uint8Array, type: string) {
		const key = await jobKey();
		const response = await upload(client, { bytes, type, publicKey: key.jwk });
		expect(response.status).toBe(202);
		const { jobId } = CreateImportResponse.parse(await response.json());
		return { jobId, pair: key.pair };
	}

	async function events(client: ApiClient | undefined, jobId: string, lastEventId?: string) {
		const headers: Record<string, string> = {};
		if (client) headers.cookie = client.cookieHeader();
		if (lastEventId) headers['last-event-id'] = lastEventId;
		return app.request(`/v1/imports/${jobId}/events`, { headers });
	}

	/** Every frame of a stream until the server ends it. */
	async function allFrames(response: Response): Promise<SseFrame[]> {
		expect(response.status).toBe(200);
		const stream = readSse(response.body!);
		await stream.ended(10_000);
		return stream.frames.filter((frame) => frame.event !== undefined);
	}

	async function open(pair: CryptoKeyPair, jobId: string, frame: SseFrame): Promise<ImportEvent> {
		const data = await openJobEvent({
			recipient: pair,
			binding: { jobId, id: frame.id!, event: frame.event! },
			sealed: frame.data!
		});
		return ImportEvent.parse({ event: frame.event, data });
	}

	const report = (name: string) => golden.find((candidate) => candidate.name === name)!;
	const text = (value: string) => new TextEncoder().encode(value);

	it('extracts a text report; the events are sealed to the job key and end with done', async () => {
		const uk = golden.find((candidate) => candidate.expected.source === 'text')!;
		const { jobId, pair } = await start(alice, text(uk.text), 'text/plain; charset=utf-8');
		const frames = await allFrames(await events(alice, jobId));
		expect(frames.map((frame) => frame.id)).toEqual(frames.map((_, index) => String(index + 1)));
		// Nothing readable on the wire: the data lines are base64url ciphertext.
		for (const frame of frames) expect(frame.data).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(frames.map((f) => f.data).join('')).not.toContain(uk.expected.results[0]!.loinc);

		const opened = await Promise.all(frames.map((frame) => open(pair, jobId, frame)));
		expect(opened.map((event) => event.event)).toEqual([
			'progress',
			'progress',
			'progress',
			'progress',
			'result',
			'done'
		]);
		expect(opened[0]).toEqual({ event: 'progress', data: { stage: 'reading', percent: 0 } });
		const result = opened.find((event) => event.event === 'result')!;
		if (result.event !== 'result') throw new Error('unreachable');
		expect(extractedKeys(result.data.extraction).sort()).toEqual(expectedKeys(uk.expected).sort());

		// Another key cannot open them.
		const stranger = await generateUserKeyPair();
		await expect(open(stranger, jobId, frames[0]!)).rejects.toThrow();
	});

	it('extracts a generated two-page PDF through pdf.js and the local provider', async () => {
		const multi = report('multi-page');
		const pdf = await textPdf({ pages: multi.text.split('\f') });
		const { jobId, pair } = await start(alice, pdf, 'application/pdf');
		const frames = await allFrames(await events(alice, jobId));
		const opened = await Promise.all(frames.map((frame) => open(pair, jobId, frame)));
		const result = opened.find((event) => event.event === 'result');
		if (result?.event !== 'result') throw new Error(`no result: ${JSON.stringify(opened)}`);
		expect(result.data.extraction.pages).toEqual([
			{ page: 1, status: 'text' },
			{ page: 2, status: 'text' }
		]);
		expect(result.data.extraction.patientName).toBe(multi.expected.patientName);
		expect(extractedKeys(result.data.extraction).sort()).toEqual(
			expectedKeys(multi.expected).sort()
		);
		expect(opened.at(-1)).toEqual({ event: 'done', data: {} });
	});

	it('loses and repeats nothing when the stream is cut mid-way and resumed with Last-Event-ID', async () => {
		gated.shut();
		try {
			const { jobId, pair } = await start(alice, text(report('multi-page').text), 'text/plain');
			const job = jobs.find(jobId, (await whoAmI(alice)).userId)!;
			const first = await events(alice, jobId);
			const stream = readSse(first.body!);
			// The job waits at the provider: reading is done, extracting has begun.
			const seen = await stream.next((frame) => frame.id === '3');
			expect(job.listening).toBe(1);
			await stream.close();
			await expect.poll(() => job.listening).toBe(0);
			expect(job.finished).toBe(false);

			gated.open(); // the job goes on with nobody listening
			await expect.poll(() => job.finished).toBe(true);

			const resumed = await allFrames(await events(alice, jobId, seen.id));
			const ids = [
				...stream.frames.filter((f) => f.event).map((f) => f.id),
				...resumed.map((f) => f.id)
			];
			expect(ids).toEqual(['1', '2', '3', '4', '5', '6']);
			const opened = await Promise.all(resumed.map((frame) => open(pair, jobId, frame)));
			expect(opened.map((event) => event.event)).toEqual(['progress', 'result', 'done']);

			// After done, a Last-Event-ID at the end replays nothing and ends at once.
			expect(await allFrames(await events(alice, jobId, '6'))).toEqual([]);
		} finally {
			gated.open();
		}
	});

	it('resumes over node:http too, with heartbeats, and lets go of the job on disconnect', async () => {
		gated.shut();
		try {
			const { jobId, pair } = await start(alice, text(report('multi-page').text), 'text/plain');
			const job = jobs.find(jobId, (await whoAmI(alice)).userId)!;
			const abort = new AbortController();
			const response = await fetch(`${base}/v1/imports/${jobId}/events`, {
				headers: { cookie: alice.cookieHeader() },
				signal: abort.signal
			});
			expect(response.status).toBe(200);
			expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
			expect(response.headers.get('cache-control')).toBe('no-store');
			const stream = readSse(response.body!);
			const seen = await stream.next((frame) => frame.id === '2');
			await stream.next((frame) => frame.comment === 'heartbeat', HEARTBEAT_MS * 20);
			abort.abort();
			await expect.poll(() => job.listening).toBe(0);

			gated.open();
			const again = await fetch(`${base}/v1/imports/${jobId}/events`, {
				headers: { cookie: alice.cookieHeader(), 'last-event-id': seen.id! }
			});
			const resumed = await allFrames(again);
			expect(resumed.map((frame) => frame.id)).toEqual(['3', '4', '5', '6']);
			const last = await open(pair, jobId, resumed.at(-1)!);
			expect(last.event).toBe('done');
		} finally {
			gated.open();
		}
	});

	async function whoAmI(client: ApiClient) {
		const me = await client.request<{ user: { id: string } }>('GET', '/v1/auth/session');
		return { userId: me.body.user.id };
	}

	async function failure(client: ApiClient, bytes: Uint8Array, type: string) {
		const { jobId, pair } = await start(client, bytes, type);
		const frames = await allFrames(await events(client, jobId));
		const opened = await Promise.all(frames.map((frame) => open(pair, jobId, frame)));
		expect(opened.at(-1)).toEqual({ event: 'done', data: {} });
		expect(opened.some((event) => event.event === 'result')).toBe(false);
		const error = opened.find((event) => event.event === 'error');
		if (error?.event !== 'error') throw new Error(`no error: ${JSON.stringify(opened)}`);
		return error.data;
	}

	it('fails a password-protected PDF with the reason', async () => {
		const pdf = await textPdf({ pages: ['Haemoglobin  135  g/L'], userPassword: 'secret' });
		expect(await failure(alice, pdf, 'application/pdf')).toEqual({
			code: 'password-protected',
			message: 'The PDF is protected by a password.'
		});
	});

	it('reads the text pages of a PDF whose other page is blank, and fails a damaged photo', async () => {
		const pdf = await textPdf({
			pages: ['Haemoglobin  135  g/L', 'Sodium  140  mmol/L'],
			imageOnlyPages: [2]
		});
		const { jobId, pair } = await start(alice, pdf, 'application/pdf');
		const frames = await allFrames(await events(alice, jobId));
		const opened = await Promise.all(frames.map((frame) => open(pair, jobId, frame)));
		const result = opened.find((event) => event.event === 'result');
		if (result?.event !== 'result') throw new Error(`no result: ${JSON.stringify(opened)}`);
		expect(result.data.extraction.results.map((r) => r.code.code)).toEqual(['718-7']);
		// Page 2 is an image without text (ocr.test.ts reads real scans).
		expect(result.data.extraction.pages).toContainEqual({ page: 2, status: 'no-text-layer' });

		const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
		expect((await failure(alice, png, 'image/png')).code).toBe('unsupported-input');
	});

	it('fails a corrupt PDF with the reason', async () => {
		const broken = text('%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage');
		const { code } = await failure(alice, broken, 'application/pdf');
		expect(code).toBe('corrupt-pdf');
	});

	async function rejected(response: Response, status: number, code: string) {
		expect(response.status).toBe(status);
		expect(ApiErrorBody.parse(await response.json()).error.code).toBe(code);
	}

	it('refuses bad uploads with 4xx in the envelope and starts no job', async () => {
		const { jwk } = await jobKey();
		const good = text('Sodium  140  mmol/L');
		await rejected(await upload(alice, { publicKey: jwk }), 400, 'invalid_request');
		await rejected(
			await upload(alice, { bytes: new Uint8Array(0), type: 'text/plain', publicKey: jwk }),
			400,
			'empty_file'
		);
		await rejected(
			await upload(alice, {
				bytes: new Uint8Array(IMPORT_MAX_FILE_BYTES + 1),
				type: 'application/pdf',
				publicKey: jwk
			}),
			413,
			'payload_too_large'
		);
		// A 100 MB scan: refused from the body's size, before any of it is parsed.
		await rejected(
			await upload(alice, {
				bytes: new Uint8Array(100 * 1024 * 1024),
				type: 'application/pdf',
				publicKey: jwk
			}),
			413,
			'payload_too_large'
		);
		// Text sent as a PDF, a PDF sent as text, text sent as a JPEG.
		await rejected(
			await upload(alice, { bytes: good, type: 'application/pdf', publicKey: jwk }),
			415,
			'type_mismatch'
		);
		await rejected(
			await upload(alice, {
				bytes: await textPdf({ pages: ['Sodium 140'] }),
				type: 'text/plain',
				publicKey: jwk
			}),
			415,
			'type_mismatch'
		);
		await rejected(
			await upload(alice, { bytes: good, type: 'image/jpeg', publicKey: jwk }),
			415,
			'type_mismatch'
		);
		await rejected(
			await upload(alice, { bytes: good, type: 'application/zip', publicKey: jwk }),
			415,
			'unsupported_type'
		);
		for (const publicKey of [
			undefined,
			'not json',
			'{"kty":"EC","crv":"P-384","x":"AA","y":"AA"}',
			JSON.stringify({ ...JSON.parse(jwk), x: JSON.parse(jwk).y })
		]) {
			const response = await upload(alice, { bytes: good, type: 'text/plain', publicKey });
			expect(response.status).toBe(400);
			const body = ApiErrorBody.parse(await response.json());
			expect(body.error.details).toMatchObject({ issues: [{ path: ['publicKey'] }] });
		}
		await rejected(
			await app.request('/v1/imports', {
				method: 'POST',
				headers: { cookie: alice.cookieHeader(), 'content-type': 'application/json' },
				body: JSON.stringify({ file: 'x' })
			}),
			400,
			'invalid_request'
		);
		expect(jobs.running((await whoAmI(alice)).userId)).toBe(0);
	});

	it('refuses a 100 MB upload with 413 over node:http before reading it all', async () => {
		const { jwk } = await jobKey();
		const form = new FormData();
		form.append('publicKey', jwk);
		form.append('file', new Blob([new Uint8Array(100 * 1024 * 1024)], { type: 'application/pdf' }));
		const response = await fetch(`${base}/v1/imports`, {
			method: 'POST',
			headers: { cookie: alice.cookieHeader() },
			body: form
		});
		await rejected(response, 413, 'payload_too_large');
	});

	it('answers 401 without a session and 404 for another user’s job or none', async () => {
		const { jwk } = await jobKey();
		await rejected(
			await upload(undefined, { bytes: text('Sodium 140'), type: 'text/plain', publicKey: jwk }),
			401,
			'unauthenticated'
		);
		const { jobId } = await start(alice, text('Sodium  140  mmol/L'), 'text/plain');
		await rejected(await events(undefined, jobId), 401, 'unauthenticated');
		const theirs = await events(bob, jobId);
		const none = await events(bob, randomUUID());
		const junk = await events(bob, 'not-a-uuid');
		const bodies = [];
		for (const response of [theirs, none, junk]) {
			expect(response.status).toBe(404);
			bodies.push(await response.json());
		}
		// The same answer whether the job is someone else's or does not exist.
		expect(bodies[0]).toEqual(bodies[1]);
		expect(bodies[1]).toEqual(bodies[2]);
		await rejected(await events(alice, jobId, 'nope'), 400, 'invalid_request');
	});

	it('writes nothing of the documents to the server log', async () => {
		const logged = logLines.join('');
		expect(logged).toContain('import finished');
		for (const name of ['multi-page']) {
			const { expected } = report(name);
			expect(logged).not.toContain(expected.patientName!);
			expect(logged).not.toMatch(/Haemoglobin|Sodium|mmol\/L/i);
		}
		expect(logged).not.toContain('HUGHES');
	});
});
