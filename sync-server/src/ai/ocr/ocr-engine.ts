import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';

// tesseract.js on the server: English LSTM data from the @tesseract.js-data/eng package, read from
// node_modules. langPath is a folder, so tesseract.js reads the file instead of fetching it; with
// cacheMethod 'none' it neither looks for nor writes a copy in the working directory. The worker
// (a thread with the WASM engine, ~1.5 s to start) is made on first use and kept for later pages.

const engData = dirname(
	createRequire(import.meta.url).resolve('@tesseract.js-data/eng/package.json')
);

export const workerOptions = {
	langPath: join(engData, '4.0.0_best_int'),
	cacheMethod: 'none',
	gzip: true,
	// Without a handler tesseract.js rethrows a failed job (an undecodable picture) as an
	// uncaught exception; the job's own promise already carries the error.
	errorHandler: () => {}
} as const;

export type OcrWord = { text: string; confidence: number };
export type OcrLine = { text: string; confidence: number; words: OcrWord[] };
export type OcrResult = { text: string; confidence: number; lines: OcrLine[] };

export class OcrTimeout extends Error {
	constructor(ms: number) {
		super(`OCR took longer than ${ms} ms`);
		this.name = 'OcrTimeout';
	}
}

let worker: Promise<Worker> | undefined;
// One page at a time: the worker is single-threaded, and queueing here lets a timeout stop the
// page it belongs to without failing the pages waiting behind it.
let queue: Promise<unknown> = Promise.resolve();

function startWorker(): Promise<Worker> {
	const started = createWorker('eng', OEM.LSTM_ONLY, workerOptions).then(async (created) => {
		await created.setParameters({
			// One block of text: a report's table rows stay whole lines instead of being cut
			// into column blocks; spacing runs between cells are kept so columns stay apart.
			tessedit_pageseg_mode: PSM.SINGLE_BLOCK,
			preserve_interword_spaces: '1',
			// tesseract's progress notes ("Estimating resolution as 230") stay out of the log.
			debug_file: '/dev/null'
		});
		return created;
	});
	started.catch(() => {
		if (worker === started) worker = undefined;
	});
	return started;
}

async function stopWorker(): Promise<void> {
	const current = worker;
	worker = undefined;
	if (current) await (await current.catch(() => undefined))?.terminate();
}

type Output = Parameters<Worker['recognize']>[2];

async function recognize(
	image: Uint8Array,
	output: Output,
	timeoutMs: number,
	signal?: AbortSignal
) {
	signal?.throwIfAborted();
	worker ??= startWorker();
	const running = (await worker).recognize(
		Buffer.from(image.buffer, image.byteOffset, image.byteLength),
		{},
		output
	);
	let timer: NodeJS.Timeout | undefined;
	let onAbort: (() => void) | undefined;
	try {
		return await Promise.race([
			running,
			new Promise<never>((_, reject) => {
				timer = setTimeout(() => reject(new OcrTimeout(timeoutMs)), timeoutMs);
				onAbort = () => reject(signal!.reason);
				signal?.addEventListener('abort', onAbort, { once: true });
			})
		]);
	} catch (error) {
		// A recognize call cannot be interrupted: ending the worker is the only way to stop it.
		// After a failure inside the engine (a picture it could not decode) a fresh one is
		// started too, rather than trusting the old one's state.
		running.catch(() => {});
		await stopWorker();
		throw error;
	} finally {
		clearTimeout(timer);
		if (onAbort) signal?.removeEventListener('abort', onAbort);
	}
}

export type CallOptions = { timeoutMs?: number; signal?: AbortSignal };

function queued<T>(work: () => Promise<T>): Promise<T> {
	const run = queue.then(work);
	queue = run.catch(() => {});
	return run;
}

/**
 * The picture decoded by the engine's own image library (Leptonica, in WebAssembly) and handed
 * back as a grey PNG that it wrote itself. Uploaded bytes are decoded only there: a truncated
 * file that makes a native decoder crash the process only makes this call fail.
 */
export function decodeToPng(
	image: Uint8Array,
	{ timeoutMs = 20_000, signal }: CallOptions = {}
): Promise<Buffer> {
	return queued(async () => {
		const { data } = await recognize(image, { text: false, imageGrey: true }, timeoutMs, signal);
		const url = data.imageGrey ?? '';
		return Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
	});
}

/** Text of one image (PNG/JPEG/WebP bytes), with line breaks and confidences (0–100). */
export function ocrImage(
	image: Uint8Array,
	{ timeoutMs = 60_000, signal }: CallOptions = {}
): Promise<OcrResult> {
	return queued(async () => {
		const { data } = await recognize(image, { text: true, blocks: true }, timeoutMs, signal);
		const lines = (data.blocks ?? []).flatMap((block) =>
			block.paragraphs.flatMap((paragraph) =>
				paragraph.lines.map((line) => ({
					text: line.text.replace(/\n$/, ''),
					confidence: line.confidence,
					words: line.words.map((word) => ({ text: word.text, confidence: word.confidence }))
				}))
			)
		);
		return { text: data.text, confidence: data.confidence, lines };
	});
}

/** Ends the OCR worker thread; call on shutdown. The next OCR call starts a new one. */
export async function closeOcr(): Promise<void> {
	await queue;
	await stopWorker();
}
