import { createCanvas } from '@napi-rs/canvas';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { getDocument, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import type { DocumentProblem } from '../../../../src/lib/shared/extraction/extraction.ts';
import { pageText } from './page-text.ts';
import type { PdfReply, PdfRequest } from './pdf-messages.ts';

// pdf.js in a thread of its own (started by pdf-reader.ts). Its legacy build, the one that runs
// on Node 20, installs core-js polyfills over the process's built-ins, among them JSON.parse,
// JSON.stringify and Array.prototype.push (written in JavaScript): loaded in the server's own
// thread it made every request slower, a 500-mutation push 44 → 27 ms and a pull page 29 → 14
// ms once removed (bench/sync, 2026-11-24). Here the polyfills stay in this thread.

type PdfDocument = Awaited<ReturnType<typeof getDocument>['promise']>;
type PdfPageProxy = Awaited<ReturnType<PdfDocument['getPage']>>;
type RenderParameters = Parameters<PdfPageProxy['render']>[0];

// Scans are rendered with the long side at about this many pixels (an A4 page at ~200 dpi),
// the size at which tesseract reads 8–10 pt print well.
const SCAN_LONG_SIDE = 2400;

// pdf.js fetches fonts, CMaps and its image decoders from these folders; local paths keep it off
// the network (checked with the network namespace removed, TOOLCHAIN.md).
const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const assets = (folder: string) => `${join(pdfjsRoot, folder)}/`;

class PdfProblem extends Error {
	constructor(
		readonly problem: DocumentProblem,
		message: string
	) {
		super(message);
	}
}

function asProblem(error: unknown): PdfProblem {
	if (error instanceof PdfProblem) return error;
	const name = error instanceof Error ? error.name : '';
	return name === 'PasswordException'
		? new PdfProblem('password-protected', 'The PDF is protected by a password')
		: new PdfProblem('corrupt-pdf', 'The PDF is damaged and cannot be read');
}

const documents = new Map<number, { task: ReturnType<typeof getDocument>; pdf: PdfDocument }>();

async function open(doc: number, data: Uint8Array, password: string | undefined) {
	const task = getDocument({
		data,
		...(password === undefined ? {} : { password }),
		standardFontDataUrl: assets('standard_fonts'),
		cMapUrl: assets('cmaps'),
		cMapPacked: true,
		wasmUrl: assets('wasm'),
		isEvalSupported: false,
		useSystemFonts: false,
		verbosity: VerbosityLevel.ERRORS
	});
	const pdf = await task.promise.catch(async (error: unknown) => {
		await task.destroy();
		throw asProblem(error);
	});
	documents.set(doc, { task, pdf });
	return { pages: pdf.numPages };
}

// The page's pixels, rendered for OCR: RGBA, row by row.
async function render(page: PdfPageProxy) {
	const { width, height } = page.getViewport({ scale: 1 });
	const viewport = page.getViewport({
		scale: Math.min(4, SCAN_LONG_SIDE / Math.max(width, height))
	});
	const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
	const context = canvas.getContext('2d');
	// @napi-rs/canvas is the canvas pdf.js itself uses in Node; its 2D context is a close enough
	// match for the DOM types render() is declared with.
	await page.render({
		canvas: canvas as unknown as RenderParameters['canvas'],
		canvasContext: context as unknown as RenderParameters['canvasContext'],
		viewport
	}).promise;
	const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
	return { width: canvas.width, height: canvas.height, pixels: new Uint8Array(data.buffer) };
}

async function readPage(doc: number, number: number, renderScans: boolean) {
	const { pdf } = documents.get(doc) ?? {};
	if (!pdf) throw new Error(`No open PDF ${doc}`);
	const page = await pdf.getPage(number).catch((error: unknown) => {
		throw asProblem(error);
	});
	try {
		const content = await page.getTextContent().catch((error: unknown) => {
			throw asProblem(error);
		});
		const items = content.items
			.filter((item): item is TextItem => 'str' in item && item.str.trim().length > 0)
			.map((item) => ({
				text: item.str,
				x: item.transform[4] as number,
				y: item.transform[5] as number,
				width: item.width
			}));
		if (items.length > 0) return { status: 'text' as const, text: pageText(items) };
		if (!renderScans) return { status: 'no-text-layer' as const };
		const scan = await render(page).catch((error: unknown) => {
			throw asProblem(error);
		});
		return { status: 'scan' as const, ...scan };
	} finally {
		page.cleanup();
	}
}

async function close(doc: number) {
	const open = documents.get(doc);
	documents.delete(doc);
	await open?.task.destroy();
	return {};
}

function handle(request: PdfRequest): Promise<object> {
	switch (request.type) {
		case 'open':
			return open(request.doc, request.data, request.password);
		case 'page':
			return readPage(request.doc, request.page, request.renderScans);
		case 'close':
			return close(request.doc);
	}
}

const port = parentPort!;
port.on('message', (request: PdfRequest) => {
	handle(request).then(
		(result) => {
			const reply: PdfReply = { call: request.call, ok: true, result };
			const pixels = (result as { pixels?: Uint8Array }).pixels;
			port.postMessage(reply, pixels ? [pixels.buffer as ArrayBuffer] : []);
		},
		(error: unknown) => {
			const problem = error instanceof PdfProblem ? error.problem : undefined;
			const message = error instanceof Error ? error.message : String(error);
			const reply: PdfReply = { call: request.call, ok: false, problem, message };
			port.postMessage(reply);
		}
	);
});
