import { IMPORT_MAX_FILE_BYTES, ImportMediaType } from '../shared/imports.ts';

// The add-time checks, so a file the server would refuse is never stored or queued: the same
// rules as POST /v1/imports (sync-server/src/jobs/sniff-media-type.ts, the WHATWG MIME Sniffing
// signatures), with the same error codes and words the server would answer with.

const MiB = 1024 * 1024;

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
	signature.every((byte, index) => bytes[offset + index] === byte);

const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

function isText(bytes: Uint8Array): boolean {
	if (startsWith(bytes, ascii('%PDF-'))) return false;
	try {
		const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
		// eslint-disable-next-line no-control-regex -- control bytes are exactly what is looked for
		return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
	} catch {
		return false;
	}
}

/** What the bytes are, by their signature; undefined when they are none of the import types. */
export function sniffMediaType(bytes: Uint8Array): ImportMediaType | undefined {
	if (startsWith(bytes, ascii('%PDF-'))) return 'application/pdf';
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
	if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
	if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBPVP'), 8)) {
		return 'image/webp';
	}
	// Text before a late PDF header: a note that mentions "%PDF-" is still text.
	if (isText(bytes)) return 'text/plain';
	// The PDF header may follow up to 1 KiB of junk (PDF 1.7 annex H.3), as the server allows.
	if (new TextDecoder('latin1').decode(bytes.subarray(0, 1024)).includes('%PDF-')) {
		return 'application/pdf';
	}
	return undefined;
}

export interface FileProblem {
	code: 'empty_file' | 'payload_too_large' | 'unsupported_type' | 'type_mismatch';
	message: string;
}

// RFC 9110: media types are case-insensitive and may carry parameters (charset=utf-8).
export function declaredMediaType(type: string): ImportMediaType | undefined {
	const parsed = ImportMediaType.safeParse(type.split(';')[0]!.trim().toLowerCase());
	return parsed.success ? parsed.data : undefined;
}

/** Before reading the file: its size and declared type. */
export function checkFileHeader({
	size,
	type
}: {
	size: number;
	type: string;
}): FileProblem | ImportMediaType {
	if (size === 0) {
		return { code: 'empty_file', message: 'The file is empty. Choose the document again.' };
	}
	if (size > IMPORT_MAX_FILE_BYTES) {
		return {
			code: 'payload_too_large',
			message: `The file is over ${IMPORT_MAX_FILE_BYTES / MiB} MB. Split the document or add a smaller copy.`
		};
	}
	return (
		declaredMediaType(type) ?? {
			code: 'unsupported_type',
			message: 'Only PDF, JPEG, PNG, WebP and plain text files can be imported.'
		}
	);
}

/** After reading it: do the bytes match the declared type? */
export function checkFileContent(bytes: Uint8Array, type: ImportMediaType): FileProblem | null {
	// The service worker sniffs the type again from the stored bytes when it sends the file, so
	// a file is accepted only when the sniffed type is the declared one.
	if (sniffMediaType(bytes) === type) return null;
	return {
		code: 'type_mismatch',
		message: `The file's content is not ${type}, the type it was sent as.`
	};
}

export const isFileProblem = (value: unknown): value is FileProblem =>
	typeof value === 'object' && value !== null && 'code' in value;
