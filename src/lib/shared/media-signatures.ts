import type { ImportMediaType } from './imports.ts';

// The signatures of the import types (WHATWG MIME Sniffing), one set for the server, which checks
// a file against its declared type (POST /v1/imports), and the device, which checks it when it
// is added and sniffs it again when the service worker sends it (src/lib/imports/media-type.ts).

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
	signature.every((byte, index) => bytes[offset + index] === byte);

const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

export const startsAsPdf = (bytes: Uint8Array) => startsWith(bytes, ascii('%PDF-'));

// The header may follow up to 1 KiB of junk (PDF 1.7 annex H.3), as pdf.js allows.
export const hasPdfHeader = (bytes: Uint8Array) =>
	new TextDecoder('latin1').decode(bytes.subarray(0, 1024)).includes('%PDF-');

// Text has no signature: it must decode as UTF-8 and hold no NUL or other control bytes apart
// from tab, line breaks and form feed (text-pdf.ts splits pages at form feeds).
export function isPlainText(bytes: Uint8Array): boolean {
	if (startsAsPdf(bytes)) return false;
	try {
		const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
		// eslint-disable-next-line no-control-regex -- control bytes are exactly what is looked for
		return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
	} catch {
		return false;
	}
}

/** Whether a file's first bytes are what its declared type says. */
export function contentMatchesType(bytes: Uint8Array, type: ImportMediaType): boolean {
	switch (type) {
		case 'application/pdf':
			return hasPdfHeader(bytes);
		case 'image/jpeg':
			return startsWith(bytes, [0xff, 0xd8, 0xff]);
		case 'image/png':
			return startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
		case 'image/webp':
			return startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBPVP'), 8);
		case 'text/plain':
			return isPlainText(bytes);
	}
}
