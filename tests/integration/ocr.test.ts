import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJobEvent } from '../../src/lib/crypto/job-event.ts';
import { exportPublicKey, generateUserKeyPair } from '../../src/lib/crypto/key-pair.ts';
import type { SessionResponse } from '../../src/lib/shared/auth.ts';
import { CreateImportResponse, ImportEvent } from '../../src/lib/shared/imports.ts';
import { createLocalProvider } from '../../sync-server/src/ai/local/local-provider.ts';
import { closeOcr } from '../../sync-server/src/ai/ocr/ocr-engine.ts';
import { createApp, type App } from '../../sync-server/src/app.ts';
import { createImportJobs, type ImportJobs } from '../../sync-server/src/jobs/import-jobs.ts';
import { createLogger } from '../../sync-server/src/logger.ts';
import { migrate } from '../../sync-server/src/store/migrate.ts';
import type { Store } from '../../sync-server/src/store/store.ts';
import { createApiClient, type ApiClient } from '../helpers/api-client.ts';
import { createClientAccount, derivePasswordKeys, signupBody } from '../helpers/auth-client.ts';
import { storeKinds } from '../helpers/databases.ts';
import {
	expectedKeys,
	extractedKeys,
	FIXTURES,
	loadGoldenSet,
	score,
	type GoldenCase
} from '../helpers/golden-extraction.ts';
import { readSse } from '../helpers/sse-reader.ts';
import { textPdf } from '../helpers/text-pdf.ts';

// Photos and scanned PDFs through POST /v1/imports with the local provider: read by OCR on the
// server (tesseract.js, English data from node_modules, no network), then extracted as text is.
// One OCR worker serves every job in this file; a page takes a few seconds on a 2-core machine.

const migrationsDir = new URL('../../supabase/migrations', import.meta.url).pathname;
const pglite = storeKinds.find((kind) => kind.name === 'pglite')!;
const OCR_JOB_MS = 90_000;

describe('imports read by OCR', () => {
	let store: Store;
	let dispose: () => Promise<void>;
	let app: App;
	let jobs: ImportJobs;
	let alice: ApiClient;
	let golden: GoldenCase[];
	const logLines: string[] = [];

	beforeAll(async () => {
		({ store, dispose } = await pglite.open());
		await migrate(store, migrationsDir);
		const logger = createLogger('info', { write: (line: string) => void logLines.push(line) });
		jobs = createImportJobs({ provider: createLocalProvider(), logger });
		app = createApp({
			store,
			version: 'test',
			logger,
			auth: { secret: new Uint8Array(32).fill(7), trustedProxyHops: 1 },
			imports: { jobs }
		});
		const keys = await createClientAccount(await derivePasswordKeys('ocr alice'));
		alice = createApiClient(app);
		const signedUp = await alice.request<SessionResponse>('POST', '/v1/auth/signup', {
			json: signupBody(keys, `ocr-${randomUUID().slice(0, 8)}@example.org`)
		});
		expect(signedUp.status).toBe(201);
		golden = loadGoldenSet();
	});
	afterAll(async () => {
		jobs?.close();
		await closeOcr();
		await dispose?.();
	});

	const fixture = (file: string) => new Uint8Array(readFileSync(new URL(file, FIXTURES)));
	const photo = (name: string) => golden.find((candidate) => candidate.name === name)!;

	/** Posts the file as a job and returns its events, opened with the job's key. */
	async function importEvents(bytes: Uint8Array, type: string): Promise<ImportEvent[]> {
		const pair = await generateUserKeyPair();
		const form = new FormData();
		form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), 'report');
		form.append('publicKey', JSON.stringify(await exportPublicKey(pair.publicKey, 'jwk')));
		const posted = await app.request('/v1/imports', {
			method: 'POST',
			headers: { cookie: alice.cookieHeader(), 'x-forwarded-for': alice.ip },
			body: form
		});
		expect(posted.status).toBe(202);
		const { jobId } = CreateImportResponse.parse(await posted.json());
		const response = await app.request(`/v1/imports/${jobId}/events`, {
			headers: { cookie: alice.cookieHeader() }
		});
		expect(response.status).toBe(200);
		const stream = readSse(response.body!);
		await stream.ended(OCR_JOB_MS);
		const frames = stream.frames.filter((frame) => frame.event !== undefined);
		return Promise.all(
			frames.map(async (frame) =>
				ImportEvent.parse({
					event: frame.event,
					data: await openJobEvent({
						recipient: pair,
						binding: { jobId, id: frame.id!, event: frame.event! },
						sealed: frame.data!
					})
				})
			)
		);
	}

	function resultOf(events: ImportEvent[]) {
		expect(events.at(-1)).toEqual({ event: 'done', data: {} });
		const result = events.find((event) => event.event === 'result');
		if (result?.event !== 'result') throw new Error(`no result: ${JSON.stringify(events)}`);
		return result.data.extraction;
	}

	it(
		'reads a photographed report (PNG) into lab results, date and patient',
		async () => {
			const { expected } = photo('photo-straight');
			const events = await importEvents(fixture('photo-straight.png'), 'image/png');
			expect(events[0]).toEqual({ event: 'progress', data: { stage: 'reading', percent: 0 } });
			const extraction = resultOf(events);
			expect(extractedKeys(extraction).sort()).toEqual(expectedKeys(expected).sort());
			expect(extraction.documentDate).toBe(expected.documentDate);
			expect(extraction.patientName).toBe(expected.patientName);
			expect(extraction.pages).toEqual([{ page: 1, status: 'text' }]);
		},
		OCR_JOB_MS
	);

	it(
		'reads a photo taken sideways (90°) and one taken askew',
		async () => {
			for (const [name, file] of [
				['photo-sideways', 'photo-sideways.jpg'],
				['photo-askew', 'photo-askew.jpg']
			] as const) {
				const extraction = resultOf(await importEvents(fixture(file), 'image/jpeg'));
				const wanted = expectedKeys(photo(name).expected);
				const { truePositives, falsePositives } = score(wanted, extractedKeys(extraction));
				expect(truePositives / wanted.length, name).toBeGreaterThanOrEqual(0.85);
				expect(falsePositives.length, name).toBeLessThanOrEqual(1);
			}
		},
		2 * OCR_JOB_MS
	);

	it(
		'reads a scanned PDF (one page image, no text layer) like a photo',
		async () => {
			const { expected } = photo('scan-liver-coag');
			const events = await importEvents(fixture('scan-liver-coag.pdf'), 'application/pdf');
			const extraction = resultOf(events);
			expect(extractedKeys(extraction).sort()).toEqual(expectedKeys(expected).sort());
			expect(extraction.patientName).toBe(expected.patientName);
		},
		OCR_JOB_MS
	);

	it(
		'reads a PDF with a text page and a scanned page, progress growing page by page',
		async () => {
			// Page 2 of a text PDF replaced by the scan's picture is what an office scanner that
			// appends a page makes; here pdfkit draws page 2 as grey bars only (no text, nothing
			// legible) so the job reads page 1 and says page 2 had no text.
			const pdf = await textPdf({
				pages: ['Haemoglobin  135  g/L', 'Sodium  140  mmol/L', 'Potassium  4.1  mmol/L'],
				imageOnlyPages: [2]
			});
			const events = await importEvents(pdf, 'application/pdf');
			const reading = events.flatMap((event) =>
				event.event === 'progress' && event.data.stage === 'reading' ? [event.data.percent] : []
			);
			expect(reading).toEqual([0, 33, 67, 100]);
			const extraction = resultOf(events);
			expect(extraction.pages).toEqual([
				{ page: 1, status: 'text' },
				{ page: 2, status: 'no-text-layer' },
				{ page: 3, status: 'text' }
			]);
			expect(extraction.results.map((result) => result.code.code).sort()).toEqual([
				'2823-3',
				'718-7'
			]);
		},
		OCR_JOB_MS
	);

	it(
		'fails a blank scanned PDF with the reason, then done; nothing extracted',
		async () => {
			const events = await importEvents(fixture('blank-scan.pdf'), 'application/pdf');
			expect(events.some((event) => event.event === 'result')).toBe(false);
			expect(events.slice(-2)).toEqual([
				{
					event: 'error',
					data: {
						code: 'no-text',
						message:
							'No legible text was found in the PDF: its page is blank or an unreadable scan.'
					}
				},
				{ event: 'done', data: {} }
			]);
		},
		OCR_JOB_MS
	);

	it(
		'fails a photo of nothing (a grey picture) with the reason, and a damaged picture too',
		async () => {
			const blank = await importEvents(fixture('photo-blank.jpg'), 'image/jpeg');
			expect(blank.at(-2)).toMatchObject({ event: 'error', data: { code: 'no-text' } });
			expect(blank.at(-1)).toEqual({ event: 'done', data: {} });

			const cut = fixture('photo-webp.webp').slice(0, 200);
			const damaged = await importEvents(cut, 'image/webp');
			expect(damaged.at(-2)).toEqual({
				event: 'error',
				data: { code: 'unsupported-input', message: 'The picture is damaged and cannot be read.' }
			});
		},
		OCR_JOB_MS
	);

	it('keeps no page text in the server log', () => {
		const log = logLines.join('\n');
		expect(log).not.toContain('Haemoglobin');
		expect(log).not.toContain('SMITH');
	});
});
