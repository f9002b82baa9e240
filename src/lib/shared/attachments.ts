import { z } from 'zod';
import { IMPORT_MAX_FILE_BYTES } from './imports.ts';

// A document's original file travels as sealed chunks (issue 5): PUT and GET
// /v1/profiles/{profileId}/attachments/{attachmentId}/chunks/{index}, shared by the page, the
// service worker and the server. The server stores each chunk as the client sealed it.

// 256 KiB of plaintext a chunk: small enough that a dropped upload loses little, large enough
// that a 20 MB file is 80 requests.
export const ATTACHMENT_CHUNK_BYTES = 256 * 1024;

// version(1) | keyVersion(4) | IV(12) | ciphertext + tag(16): src/lib/crypto/envelope.ts.
export const ATTACHMENT_ENVELOPE_OVERHEAD = 1 + 4 + 12 + 16;

// A sealed chunk is at most this long; every chunk but the last is exactly this long.
export const ATTACHMENT_SEALED_CHUNK_BYTES = ATTACHMENT_CHUNK_BYTES + ATTACHMENT_ENVELOPE_OVERHEAD;

// The largest file is the largest import, so no attachment holds more than that in plaintext.
export const ATTACHMENT_MAX_CHUNKS = Math.ceil(IMPORT_MAX_FILE_BYTES / ATTACHMENT_CHUNK_BYTES);

export const AttachmentChunkQuery = z.object({
	count: z.coerce.number().int().min(1).max(ATTACHMENT_MAX_CHUNKS),
	keyVersion: z.coerce.number().int().min(1).max(0xffff_ffff)
});
export type AttachmentChunkQuery = z.infer<typeof AttachmentChunkQuery>;

// Which chunks the server holds: the uploader resumes from it, a reader knows what to fetch.
export const AttachmentStatus = z.object({
	attachmentId: z.uuid(),
	chunkCount: z.number().int().min(1).max(ATTACHMENT_MAX_CHUNKS),
	chunks: z.array(
		z
			.number()
			.int()
			.min(0)
			.max(ATTACHMENT_MAX_CHUNKS - 1)
	),
	complete: z.boolean()
});
export type AttachmentStatus = z.infer<typeof AttachmentStatus>;
