import type { DocumentProblem } from '../../../../src/lib/shared/extraction/extraction.ts';

// What pdf-reader.ts (the server's thread) and pdf-thread.ts (pdf.js's thread) say to each
// other. Each request carries a call number its reply repeats; `doc` names an open document.
export type PdfCall = { doc: number } & (
	| { type: 'open'; data: Uint8Array; password?: string }
	| { type: 'page'; page: number; renderScans: boolean }
	| { type: 'close' }
);
export type PdfRequest = PdfCall & { call: number };

export type OpenedPdf = { pages: number };

export type PdfPageReply =
	| { status: 'text'; text: string }
	| { status: 'no-text-layer' }
	// A page without a text layer, rendered for OCR: RGBA pixels, row by row.
	| { status: 'scan'; width: number; height: number; pixels: Uint8Array };

export type PdfReply =
	| { call: number; ok: true; result: object }
	// `problem` when the document itself cannot be read (DocumentError), else a failure of ours.
	| { call: number; ok: false; problem?: DocumentProblem; message: string };
