import { createRoute, z } from '@hono/zod-openapi';
import { ApiErrorBody } from '../../../src/lib/shared/api-error.ts';
import {
	ATTACHMENT_MAX_CHUNKS,
	ATTACHMENT_SEALED_CHUNK_BYTES,
	AttachmentChunkQuery,
	AttachmentStatus
} from '../../../src/lib/shared/attachments.ts';

// The OpenAPI description of /v1/profiles/{profileId}/attachments/*; the handlers are in
// attachments.ts.

const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const error = (description: string) => ({ description, ...json(ApiErrorBody) });
const binary = (description: string) => ({
	description,
	content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } }
});

const unauthenticated = error('unauthenticated: no live session');
const notFound = error(
	'profile_not_found: no such profile, or the caller is not a current member (one answer for both); attachment_not_found: the server holds no such file or chunk'
);

const AttachmentParams = z.object({ profileId: z.uuid(), attachmentId: z.uuid() });
export const ChunkParams = AttachmentParams.extend({
	index: z.coerce
		.number()
		.int()
		.min(0)
		.max(ATTACHMENT_MAX_CHUNKS - 1)
});

export const putChunk = createRoute({
	method: 'put',
	path: '/profiles/{profileId}/attachments/{attachmentId}/chunks/{index}',
	summary:
		'Store one sealed chunk of a document’s original file (owners and editors); the same bytes again change nothing',
	request: {
		params: ChunkParams,
		query: AttachmentChunkQuery,
		body: {
			...binary(
				`The sealed chunk (an envelope under keyVersion), ${ATTACHMENT_SEALED_CHUNK_BYTES} bytes at most; every chunk but the last is exactly that long`
			),
			required: true
		}
	},
	responses: {
		201: { description: 'Stored', ...json(AttachmentStatus) },
		200: { description: 'Stored already, with the same bytes', ...json(AttachmentStatus) },
		400: error(
			'invalid_request: ids not uuids, index ≥ count, count outside 1..80, not sent as application/octet-stream; invalid_chunk: the body is not a sealed chunk under keyVersion, or a chunk before the last is not full'
		),
		401: unauthenticated,
		403: error('read_only: viewers cannot add files'),
		404: notFound,
		409: error(
			"stale_key_version: keyVersion is not the profile's current one (details.currentKeyVersion); chunk_count_mismatch: the file's other chunks name another count (details.chunkCount); chunk_conflict: this chunk is stored already with other bytes"
		),
		413: error(`payload_too_large: the chunk is over ${ATTACHMENT_SEALED_CHUNK_BYTES} bytes`)
	}
});

export const attachmentStatus = createRoute({
	method: 'get',
	path: '/profiles/{profileId}/attachments/{attachmentId}',
	summary: 'Which chunks of a file the server holds (any current member)',
	request: { params: AttachmentParams },
	responses: {
		200: { description: 'The chunk count and the indexes held', ...json(AttachmentStatus) },
		400: error('invalid_request: the ids are not uuids'),
		401: unauthenticated,
		404: notFound
	}
});

export const getChunk = createRoute({
	method: 'get',
	path: '/profiles/{profileId}/attachments/{attachmentId}/chunks/{index}',
	summary: 'One sealed chunk, as it was stored (any current member)',
	request: { params: ChunkParams },
	responses: {
		200: binary('The sealed chunk; X-Chunk-Count says how many the file has'),
		400: error('invalid_request: the ids are not uuids, or the index is not 0..79'),
		401: unauthenticated,
		404: notFound
	}
});
