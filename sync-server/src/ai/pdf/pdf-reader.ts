import { Worker } from 'node:worker_threads';
import { DocumentError } from '../document-error.ts';
import type { OpenedPdf, PdfCall, PdfPageReply, PdfReply, PdfRequest } from './pdf-messages.ts';

// The server's side of the pdf.js thread (pdf-thread.ts says why it is a thread of its own):
// started on the first PDF and kept for the next ones; an idle one does not keep the process
// alive. If the thread dies (a crash in pdf.js or the canvas), the calls waiting on it fail and
// the next PDF starts a new one.

type Waiting = {
	resolve: (result: object) => void;
	reject: (error: Error) => void;
	timer: NodeJS.Timeout;
};
type Thread = { worker: Worker; waiting: Map<number, Waiting> };

const entry = new URL('./pdf-thread-entry.mjs', import.meta.url);
let thread: Thread | undefined;
let calls = 0;
let docs = 0;

function startThread(): Thread {
	// No inherited Node options: the entry registers tsx itself, whatever started this process.
	const worker = new Worker(entry, { execArgv: [] });
	const started: Thread = { worker, waiting: new Map() };
	worker.on('message', (reply: PdfReply) => {
		const waiting = started.waiting.get(reply.call);
		started.waiting.delete(reply.call);
		if (started.waiting.size === 0) worker.unref();
		if (!waiting) return;
		clearTimeout(waiting.timer);
		if (reply.ok) waiting.resolve(reply.result);
		else if (reply.problem) waiting.reject(new DocumentError(reply.problem, reply.message));
		else waiting.reject(new Error(`PDF reader: ${reply.message}`));
	});
	const stopped = (cause: unknown) => {
		if (thread === started) thread = undefined;
		for (const { reject, timer } of started.waiting.values()) {
			clearTimeout(timer);
			reject(new Error('The PDF reader stopped', { cause }));
		}
		started.waiting.clear();
	};
	worker.on('error', stopped);
	worker.on('exit', (code) => stopped(new Error(`exit code ${code}`)));
	return started;
}

// A step (opening the document, reading or rendering a page) that takes longer than this fails
// its document, and the thread is ended so nothing behind it waits on pdf.js for ever (a
// damaged or hostile file can send it round a loop); the next PDF starts a new thread.
export const PDF_STEP_TIMEOUT_MS = 60_000;

function call<T extends object>(
	request: PdfCall,
	{ transfer = [], timeoutMs }: { transfer?: ArrayBuffer[]; timeoutMs: number }
): Promise<T> {
	const current = (thread ??= startThread());
	const number = ++calls;
	return new Promise<T>((resolve, reject) => {
		const timer = setTimeout(() => {
			current.waiting.delete(number);
			reject(new DocumentError('corrupt-pdf', 'The PDF took too long to read and may be damaged'));
			if (thread === current) thread = undefined;
			void current.worker.terminate();
		}, timeoutMs);
		// The thread keeps the process alive only while a call waits on it.
		if (current.waiting.size === 0) current.worker.ref();
		current.waiting.set(number, { resolve: resolve as (result: object) => void, reject, timer });
		const message: PdfRequest = { ...request, call: number };
		current.worker.postMessage(message, transfer);
	});
}

export type OpenPdf = {
	pages: number;
	page(number: number, renderScans: boolean): Promise<PdfPageReply>;
	close(): Promise<void>;
};

/** Opens a PDF in the pdf.js thread; the bytes are moved there (the caller passes a copy). */
export async function openPdf(
	data: Uint8Array<ArrayBuffer>,
	{ password, timeoutMs = PDF_STEP_TIMEOUT_MS }: { password?: string; timeoutMs?: number } = {}
): Promise<OpenPdf> {
	const doc = ++docs;
	const { pages } = await call<OpenedPdf>(
		{ type: 'open', doc, data, ...(password === undefined ? {} : { password }) },
		{ transfer: [data.buffer], timeoutMs }
	);
	const owner = thread;
	return {
		pages,
		page: (page, renderScans) =>
			call<PdfPageReply>({ type: 'page', doc, page, renderScans }, { timeoutMs }),
		// A thread that has ended holds nothing to close.
		close: async () => {
			if (thread === owner) await call({ type: 'close', doc }, { timeoutMs });
		}
	};
}

/** Ends the pdf.js thread; call on shutdown. The next PDF starts a new one. */
export async function closePdfReader(): Promise<void> {
	const current = thread;
	thread = undefined;
	await current?.worker.terminate();
}
