// Issue 5 extraction targets, local provider, in this Node process:
//   extraction_precision / extraction_recall  (LOINC, value, unit) over the golden set in
//                         tests/fixtures/lab-reports                     ≥ 0.95 / ≥ 0.9
//   import_pdf_local_ms   a 2-page text PDF (the golden multi-page report, generated with pdfkit)
//                         through pdf.js text extraction and the local provider: median of
//                         runs after one warm-up                                     ≤ 2000
// import_pdf_local_cold_ms is the first run (pdf.js and the UCUM table loading).
//
// And the analysis event streams, against the real server in a child process (main.ts on
// PGlite, AI_PROVIDER=openai pointed at a local stand-in for the OpenAI API in this process):
//   sse_first_event_ms         POST /v1/analyses sent → first event of GET …/events read by the
//                              client (local provider): median of runs             ≤ 200
//   analysis_stream_lag_p99_ms the server's event-loop delay p99 (monitorEventLoopDelay, 1 ms
//                              resolution, less that 1 ms) while 100 cloud analyses stream at once, each model
//                              answer 100 chunks 20 ms apart, every delta sealed to its job key  ≤ 50
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';

const RUNS = 21;
const FIRST_EVENT_RUNS = 21;
const STREAMS = 100;
const CHUNKS = 100;
const CHUNK_EVERY_MS = 20;
const load = (path) => tsImport(path, import.meta.url);

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
};
const ms = (value) => Math.round(value * 10) / 10;
const round3 = (value) => Math.round(value * 1000) / 1000;

export async function run() {
	const { createLocalProvider } = await load('../sync-server/src/ai/local/local-provider.ts');
	const { readPdfText } = await load('../sync-server/src/ai/pdf-text.ts');
	const { textPdf } = await load('../tests/helpers/text-pdf.ts');
	const { runGoldenSet } = await load('../tests/helpers/golden-extraction.ts');

	const provider = createLocalProvider();
	const text = readFileSync(
		new URL('../tests/fixtures/lab-reports/multi-page.txt', import.meta.url),
		'utf8'
	);
	const pdf = await textPdf({ pages: text.split('\f') });
	const importPdf = async () => {
		const started = performance.now();
		const pages = await readPdfText({ data: pdf });
		const extraction = await provider.extract({
			kind: 'text',
			pages: pages.flatMap((page) =>
				page.status === 'text' ? [{ page: page.page, text: page.text }] : []
			)
		});
		if (pages.length !== 2 || extraction.results.length === 0)
			throw new Error('extraction bench: nothing read');
		return performance.now() - started;
	};
	const cold = await importPdf();
	const times = [];
	for (let i = 0; i < RUNS; i++) times.push(await importPdf());

	const golden = await runGoldenSet(provider);
	const streams = await measureStreams();
	return {
		extraction_precision: round3(golden.precision),
		extraction_recall: round3(golden.recall),
		extraction_reports: golden.reports.length,
		extraction_results_expected: golden.reports.reduce(
			(sum, report) => sum + report.score.truePositives + report.score.missed.length,
			0
		),
		import_pdf_local_ms: ms(median(times)),
		import_pdf_local_max_ms: ms(Math.max(...times)),
		import_pdf_local_cold_ms: ms(cold),
		import_pdf_bytes: pdf.byteLength,
		...streams
	};
}

const percentile = (values, p) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
};

// The server child: main.ts behind lag-server.mjs, ready once it prints its URL.
async function startLagServer(env) {
	const dataDir = mkdtempSync(join(tmpdir(), 'charta-extraction-bench-'));
	const child = spawn(
		process.execPath,
		['--import', 'tsx', new URL('./extraction/lag-server.mjs', import.meta.url).pathname],
		{
			cwd: new URL('..', import.meta.url).pathname,
			env: {
				PATH: process.env.PATH ?? '',
				HOME: process.env.HOME ?? '',
				PORT: '0',
				DATA_DIR: dataDir,
				LOG_LEVEL: 'warn',
				...env
			},
			stdio: ['ignore', 'pipe', 'pipe', 'ipc']
		}
	);
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const exited = new Promise((resolve) => child.once('exit', resolve));
	const deadline = Date.now() + 60_000;
	let url;
	while (!url) {
		if (Date.now() > deadline || child.exitCode !== null) {
			child.kill('SIGKILL');
			throw new Error(`extraction bench: the server did not start:\n${output}`);
		}
		url = /Open (http:\/\/\S+)/.exec(output)?.[1];
		if (!url) await new Promise((resolve) => setTimeout(resolve, 20));
	}
	const ask = (message) =>
		new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`no answer to ${message}`)), 10_000);
			child.once('message', (answer) => {
				clearTimeout(timer);
				resolve(answer);
			});
			child.send(message);
		});
	return {
		url,
		ask,
		async stop() {
			if (child.exitCode === null) child.kill('SIGTERM');
			await exited;
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

// Reads an event stream until `done`; resolves with when the first event arrived and how many.
async function readEvents(response, onFirst = () => {}) {
	const reader = response.body.getReader();
	const decoder = new TextDecoder();
	let buffer = '';
	let events = 0;
	let last = '';
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		buffer += decoder.decode(value, { stream: true });
		let end;
		while ((end = buffer.indexOf('\n\n')) >= 0) {
			const frame = buffer.slice(0, end);
			buffer = buffer.slice(end + 2);
			const name = /^event: (.*)$/m.exec(frame)?.[1];
			if (!name) continue;
			if (events++ === 0) onFirst();
			last = name;
		}
	}
	return { events, last };
}

async function measureStreams() {
	const { startModelStandIn } = await load('../tests/helpers/model-stand-in.ts');
	const { ANALYSIS_INPUT } = await load('../tests/helpers/cloud-fixtures.ts');
	const { createApiAccount } = await load('./sync/api-account.ts');
	const { exportPublicKey, generateUserKeyPair } = await load('../src/lib/crypto/key-pair.ts');

	const standIn = await startModelStandIn();
	const server = await startLagServer({
		AI_PROVIDER: 'openai',
		OPENAI_API_KEY: 'sk-bench',
		OPENAI_BASE_URL: `${standIn.origin}/v1`,
		AI_MAX_RETRIES: '0',
		AI_JOBS_PER_USER: String(STREAMS)
	});
	try {
		const account = await createApiAccount({
			baseUrl: server.url,
			email: `extraction-bench-${Date.now()}@example.org`,
			password: 'extraction bench password 1'
		});
		const headers = { cookie: account.cookie, 'content-type': 'application/json' };
		const publicKey = await exportPublicKey((await generateUserKeyPair()).publicKey, 'jwk');
		const start = async (processing) => {
			const response = await fetch(new URL('/v1/analyses', server.url), {
				method: 'POST',
				headers,
				body: JSON.stringify({ publicKey, processing, records: ANALYSIS_INPUT.records })
			});
			if (response.status !== 202) throw new Error(`POST /v1/analyses: ${response.status}`);
			const { analysisId } = await response.json();
			return fetch(new URL(`/v1/analyses/${analysisId}/events`, server.url), {
				headers: { cookie: account.cookie }
			});
		};

		const firstEvent = [];
		for (let i = 0; i <= FIRST_EVENT_RUNS; i++) {
			const started = performance.now();
			let first;
			const { last } = await readEvents(await start('local'), () => {
				first = performance.now() - started;
			});
			if (last !== 'done') throw new Error('extraction bench: a local analysis did not finish');
			if (i > 0) firstEvent.push(first); // the first run warms the routes up
		}

		// Each model answer: CHUNKS deltas, CHUNK_EVERY_MS apart, then the finish chunk.
		const chunk = (content, finish = null) =>
			`data: ${JSON.stringify({
				id: 'c',
				object: 'chat.completion.chunk',
				created: 1,
				model: 'bench',
				choices: [{ index: 0, delta: content ? { content } : {}, finish_reason: finish }]
			})}\n\n`;
		const reply = (_request, response) =>
			new Promise((resolve) => {
				response.writeHead(200, { 'content-type': 'text/event-stream' });
				let sent = 0;
				const timer = setInterval(() => {
					if (sent++ < CHUNKS) return void response.write(chunk(`word${sent} and more `));
					clearInterval(timer);
					response.end(`${chunk(null, 'stop')}data: [DONE]\n\n`);
					resolve();
				}, CHUNK_EVERY_MS);
				response.once('close', () => clearInterval(timer));
			});
		for (let i = 0; i < STREAMS; i++) standIn.reply(reply);

		await server.ask('lag-start');
		const started = performance.now();
		const streams = await Promise.all(
			Array.from({ length: STREAMS }, async () => readEvents(await start('cloud')))
		);
		const streamMs = performance.now() - started;
		const { lag } = await server.ask('lag-stop');
		const unfinished = streams.filter((stream) => stream.last !== 'done').length;
		if (unfinished > 0) throw new Error(`extraction bench: ${unfinished} streams did not finish`);
		return {
			sse_first_event_ms: ms(median(firstEvent)),
			sse_first_event_p95_ms: ms(percentile(firstEvent, 95)),
			analysis_stream_lag_p99_ms: lag.p99,
			analysis_stream_lag_p50_ms: lag.p50,
			analysis_stream_lag_max_ms: lag.max,
			analysis_streams: STREAMS,
			analysis_stream_events_mean: Math.round(
				streams.reduce((sum, stream) => sum + stream.events, 0) / STREAMS
			),
			analysis_streams_ms: Math.round(streamMs)
		};
	} finally {
		await server.stop();
		await standIn.close();
	}
}
