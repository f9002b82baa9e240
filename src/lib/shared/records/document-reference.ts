import { z } from 'zod';
import { IsoDateTime, optionalText, requiredText, LONG_TEXT } from './fields.ts';

// RFC 6838 media type: type "/" subtype, each a restricted token; parameters are not kept.
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

// Metadata only: the bytes live encrypted elsewhere, as the attachment `attachmentId` names
// (src/lib/attachments), checked against `hash` when opened.
export const DocumentReference = z.object({
	title: requiredText('Enter a title, e.g. Discharge letter'),
	contentType: z
		.string({ error: 'Enter a file type like application/pdf' })
		.trim()
		// RFC 9110 §8.3.1: media types are case-insensitive.
		.toLowerCase()
		.regex(MEDIA_TYPE, 'Enter a file type like application/pdf'),
	size: z
		.number({ error: 'Enter the file size in bytes' })
		.int('Enter the file size as a whole number of bytes')
		.min(0, 'The file size cannot be negative')
		.max(Number.MAX_SAFE_INTEGER, 'Enter the file size in bytes'),
	hash: z
		.string({ error: 'Enter the SHA-256 hash of the file' })
		.trim()
		.toLowerCase()
		.regex(/^[0-9a-f]{64}$/, 'Enter the SHA-256 hash as 64 hexadecimal characters'),
	date: IsoDateTime,
	description: optionalText(LONG_TEXT),
	// Which sealed file on the server is this document's original, so another member's device
	// knows what to fetch. Absent on documents recorded without their file.
	attachmentId: z
		.uuid({ error: 'The document is not linked to a stored file' })
		.nullish()
		.transform((id) => id ?? undefined)
});
export type DocumentReference = z.infer<typeof DocumentReference>;
