import { createCanvas, type Canvas } from '@napi-rs/canvas';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import { DocumentError } from './document-error.ts';

export type PdfPage =
	| { page: number; status: 'text'; text: string }
	// A page without a text layer, rendered and read by the caller's OCR (readScan).
	| { page: number; status: 'ocr'; text: string }
	// Nothing to read without OCR (or nothing legible in it): a scan, or only pictures.
	| { page: number; status: 'no-text-layer' };

// What a caller's OCR makes of a rendered page: its text, or undefined when nothing is legible.
export type ReadScan = (page: number, picture: Canvas) => Promise<string | undefined>;

// Scans are rendered with the long side at about this many pixels (an A4 page at ~200 dpi),
// the size at which tesseract reads 8–10 pt print well.
const SCAN_LONG_SIDE = 2400;

// pdf.js fetches fonts, CMaps and its image decoders from these folders; local paths keep it off
// the network (checked with the network namespace removed, TOOLCHAIN.md).
const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const assets = (folder: string) => `${join(pdfjsRoot, folder)}/`;

const SAME_ROW = 2; // points: items whose baselines differ by less sit on one printed row

type Placed = { text: string; x: number; y: number; width: number };

// getTextContent gives items in content-stream order; a table row is rebuilt by grouping items
// on one baseline and ordering them left to right. Wide gaps become runs of spaces, so the
// reader can still tell columns apart.
function pageText(items: Placed[]): string {
	const rows: Placed[][] = [];
	for (const item of [...items].sort((a, b) => b.y - a.y || a.x - b.x)) {
		const row = rows.find((candidate) => Math.abs(candidate[0]!.y - item.y) < SAME_ROW);
		if (row) row.push(item);
		else rows.push([item]);
	}
	return rows
		.map((row) => {
			row.sort((a, b) => a.x - b.x);
			let line = '';
			let end: number | undefined;
			for (const item of row) {
				if (end !== undefined) {
					const charWidth = item.width / Math.max(1, item.text.length) || 5;
					const gap = (item.x - end) / charWidth;
					line +=
						gap < 0.3
							? ''
							: gap < 1.6
								? ' '
								: ' '.repeat(Math.min(8, Math.max(2, Math.round(gap))));
				}
				line += item.text;
				end = item.x + item.width;
			}
			return line;
		})
		.join('\n');
}

function looksLikePdf(data: Uint8Array): boolean {
	// The header may follow up to 1 KiB of junk (PDF 1.7 annex H.3); pdf.js accepts that too.
	const head = new TextDecoder('latin1').decode(data.subarray(0, 1024));
	return head.includes('%PDF-');
}

function asDocumentError(error: unknown): DocumentError {
	const name = error instanceof Error ? error.name : '';
	if (name === 'PasswordException') {
		return new DocumentError('password-protected', 'The PDF is protected by a password', {
			cause: error
		});
	}
	return new DocumentError('corrupt-pdf', 'The PDF is damaged and cannot be read', {
		cause: error
	});
}

type PdfPageProxy = Awaited<
	ReturnType<Awaited<ReturnType<typeof getDocument>['promise']>['getPage']>
>;

type RenderParameters = Parameters<PdfPageProxy['render']>[0];

async function renderPage(page: PdfPageProxy): Promise<Canvas> {
	const { width, height } = page.getViewport({ scale: 1 });
	const viewport = page.getViewport({
		scale: Math.min(4, SCAN_LONG_SIDE / Math.max(width, height))
	});
	const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
	// @napi-rs/canvas is the canvas pdf.js itself uses in Node; its 2D context is a close enough
	// match for the DOM types render() is declared with.
	await page.render({
		canvas: canvas as unknown as RenderParameters['canvas'],
		canvasContext: canvas.getContext('2d') as unknown as RenderParameters['canvasContext'],
		viewport
	}).promise;
	return canvas;
}

// Text per page from a PDF's text layer, page numbers from 1. Pages without one are rendered and
// handed to readScan, when given, one at a time (so one page's pixels are held at once).
// onPage reports pages done. Throws DocumentError for an empty file, a file that is not a PDF,
// a damaged PDF or one that needs a password.
export async function readPdfText({
	data,
	password,
	readScan,
	onPage
}: {
	data: Uint8Array;
	password?: string;
	readScan?: ReadScan;
	onPage?: (done: number, total: number) => void;
}): Promise<PdfPage[]> {
	if (data.length === 0) throw new DocumentError('empty-file', 'The file is empty');
	if (!looksLikePdf(data)) throw new DocumentError('not-a-pdf', 'The file is not a PDF');
	const task = getDocument({
		// pdf.js transfers (detaches) the buffer it is given; the caller keeps its own.
		data: data.slice(),
		...(password === undefined ? {} : { password }),
		standardFontDataUrl: assets('standard_fonts'),
		cMapUrl: assets('cmaps'),
		cMapPacked: true,
		wasmUrl: assets('wasm'),
		isEvalSupported: false,
		useSystemFonts: false,
		verbosity: VerbosityLevel.ERRORS
	});
	try {
		const document = await task.promise.catch((error: unknown) => {
			throw asDocumentError(error);
		});
		const pages: PdfPage[] = [];
		for (let number = 1; number <= document.numPages; number++) {
			const page = await document.getPage(number);
			const content = await page.getTextContent().catch((error: unknown) => {
				throw asDocumentError(error);
			});
			const items = content.items
				.filter((item): item is TextItem => 'str' in item && item.str.trim().length > 0)
				.map((item) => ({
					text: item.str,
					x: item.transform[4] as number,
					y: item.transform[5] as number,
					width: item.width
				}));
			if (items.length > 0) {
				pages.push({ page: number, status: 'text', text: pageText(items) });
			} else {
				const scanned = readScan
					? await readScan(
							number,
							await renderPage(page).catch((error: unknown) => {
								throw asDocumentError(error);
							})
						)
					: undefined;
				pages.push(
					scanned === undefined
						? { page: number, status: 'no-text-layer' }
						: { page: number, status: 'ocr', text: scanned }
				);
			}
			page.cleanup();
			onPage?.(number, document.numPages);
		}
		return pages;
	} finally {
		await task.destroy();
	}
}
