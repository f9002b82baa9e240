import { IMPORT_MAX_FILE_BYTES, ImportMediaType } from '../shared/imports.ts';
import {
	contentMatchesType,
	hasPdfHeader,
	isPlainText,
	startsAsPdf
} from '../shared/media-signatures.ts';

// The add-time checks, so a file the server would refuse is never stored or queued: the same
// signatures as POST /v1/imports (../shared/media-signatures.ts), with the same error codes and
// words the server would answer with.

const MiB = 1024 * 1024;

const IMAGES = ['image/jpeg', 'image/png', 'image/webp'] as const;

/** What the bytes are, by their signature; undefined when they are none of the import types. */
export function sniffMediaType(bytes: Uint8Array): ImportMediaType | undefined {
	if (startsAsPdf(bytes)) return 'application/pdf';
	const image = IMAGES.find((type) => contentMatchesType(bytes, type));
	if (image) return image;
	// Text before a late PDF header: a note that mentions "%PDF-" is still text.
	if (isPlainText(bytes)) return 'text/plain';
	return hasPdfHeader(bytes) ? 'application/pdf' : undefined;
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
