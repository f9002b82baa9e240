import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import { DocumentError } from './document-error.ts';

export type PdfPage =
	| { page: number; status: 'text'; text: string }
	// Nothing to read without OCR: a scan, or a page that is only pictures.
	| { page: number; status: 'no-text-layer' };

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

// Text per page from a PDF's text layer, page numbers from 1. Throws DocumentError for an empty
// file, a file that is not a PDF, a damaged PDF or one that needs a password.
export async function readPdfText({
	data,
	password
}: {
	data: Uint8Array;
	password?: string;
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
			pages.push(
				items.length === 0
					? { page: number, status: 'no-text-layer' }
					: { page: number, status: 'text', text: pageText(items) }
			);
			page.cleanup();
		}
		return pages;
	} finally {
		await task.destroy();
	}
}
