import { createCanvas, ImageData, type Canvas } from '@napi-rs/canvas';
import { DocumentError } from './document-error.ts';
import { openPdf } from './pdf/pdf-reader.ts';

export type PdfPage =
	| { page: number; status: 'text'; text: string }
	// A page without a text layer, rendered and read by the caller's OCR (readScan).
	| { page: number; status: 'ocr'; text: string }
	// Nothing to read without OCR (or nothing legible in it): a scan, or only pictures.
	| { page: number; status: 'no-text-layer' };

// What a caller's OCR makes of a rendered page: its text, or undefined when nothing is legible.
export type ReadScan = (page: number, picture: Canvas) => Promise<string | undefined>;

function looksLikePdf(data: Uint8Array): boolean {
	// The header may follow up to 1 KiB of junk (PDF 1.7 annex H.3); pdf.js accepts that too.
	const head = new TextDecoder('latin1').decode(data.subarray(0, 1024));
	return head.includes('%PDF-');
}

// Text per page from a PDF's text layer, page numbers from 1. Pages without one are rendered and
// handed to readScan, when given, one at a time (so one page's pixels are held at once).
// onPage reports pages done. Throws DocumentError for an empty file, a file that is not a PDF,
// a damaged PDF (or one that takes too long to read) or one that needs a password.
export async function readPdfText({
	data,
	password,
	readScan,
	onPage,
	timeoutMs
}: {
	data: Uint8Array;
	password?: string;
	readScan?: ReadScan;
	onPage?: (done: number, total: number) => void;
	// How long opening the PDF or reading one page may take (pdf/pdf-reader.ts).
	timeoutMs?: number;
}): Promise<PdfPage[]> {
	if (data.length === 0) throw new DocumentError('empty-file', 'The file is empty');
	if (!looksLikePdf(data)) throw new DocumentError('not-a-pdf', 'The file is not a PDF');
	// pdf.js runs in a thread of its own (pdf/pdf-thread.ts), which takes a copy of the bytes.
	const pdf = await openPdf(data.slice(), {
		...(password === undefined ? {} : { password }),
		...(timeoutMs === undefined ? {} : { timeoutMs })
	});
	try {
		const pages: PdfPage[] = [];
		for (let number = 1; number <= pdf.pages; number++) {
			const read = await pdf.page(number, readScan !== undefined);
			if (read.status === 'text') {
				pages.push({ page: number, status: 'text', text: read.text });
			} else {
				const scanned =
					read.status === 'scan' ? await readScan?.(number, toCanvas(read)) : undefined;
				pages.push(
					scanned === undefined
						? { page: number, status: 'no-text-layer' }
						: { page: number, status: 'ocr', text: scanned }
				);
			}
			onPage?.(number, pdf.pages);
		}
		return pages;
	} finally {
		await pdf.close();
	}
}

// The rendered page as the canvas readScan takes.
function toCanvas({
	width,
	height,
	pixels
}: {
	width: number;
	height: number;
	pixels: Uint8Array;
}) {
	const canvas = createCanvas(width, height);
	const rgba = new Uint8ClampedArray(pixels.buffer, pixels.byteOffset, pixels.byteLength);
	canvas.getContext('2d').putImageData(new ImageData(rgba, width, height), 0, 0);
	return canvas;
}
