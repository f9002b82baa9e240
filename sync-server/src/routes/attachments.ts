import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { ATTACHMENT_SEALED_CHUNK_BYTES } from '../../../src/lib/shared/attachments.ts';
import { requireSession, sessionRequired } from '../auth/session-middleware.ts';
import { ApiError, errorResponse } from '../errors.ts';
import { invalidRequest, invalidRequestHook } from '../invalid-request.ts';
import { readChunk, readChunkStatus, storeChunk } from '../store/attachment-chunks.ts';
import type { Store } from '../store/store.ts';
import { asUser } from '../store/transaction-as.ts';
import * as routes from './attachment-routes.ts';

const ATTACHMENTS = '/profiles/:profileId/attachments/*';
const CHUNK = '/profiles/:profileId/attachments/:attachmentId/chunks/:index';

/**
 * /v1/profiles/{profileId}/attachments/*: a document's original file as sealed chunks (issue 5).
 * The server stores and hands out ciphertext only; src/lib/attachments seals and opens it.
 */
export function attachmentRoutes({ store }: { store: Store }) {
	const app = new OpenAPIHono({ defaultHook: invalidRequestHook });
	app.use(ATTACHMENTS, sessionRequired);
	app.use(
		CHUNK,
		bodyLimit({
			maxSize: ATTACHMENT_SEALED_CHUNK_BYTES,
			onError: (c) =>
				errorResponse(
					c,
					new ApiError(
						413,
						'payload_too_large',
						`A chunk is ${ATTACHMENT_SEALED_CHUNK_BYTES} bytes at most.`
					)
				)
		})
	);

	return app
		.openapi(routes.putChunk, async (c) => {
			const { userId } = requireSession(c);
			const { profileId, attachmentId, index } = c.req.valid('param');
			const { count, keyVersion } = c.req.valid('query');
			if (index >= count) {
				throw invalidRequest([
					{ path: ['index'], message: `must be below the chunk count (${count})` }
				]);
			}
			// RFC 9110: media types are case-insensitive.
			const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
			if (type !== 'application/octet-stream') {
				throw invalidRequest([
					{ path: [], message: 'must be the sealed chunk, sent as application/octet-stream' }
				]);
			}
			const ciphertext = new Uint8Array(await c.req.arrayBuffer());
			const { created, status } = await asUser(store, userId, (tx) =>
				storeChunk(tx, userId, {
					profileId: profileId.toLowerCase(),
					attachmentId: attachmentId.toLowerCase(),
					index,
					count,
					keyVersion,
					ciphertext
				})
			);
			return c.json(status, created ? 201 : 200);
		})
		.openapi(routes.attachmentStatus, async (c) => {
			const { userId } = requireSession(c);
			const { profileId, attachmentId } = c.req.valid('param');
			const status = await asUser(store, userId, (tx) =>
				readChunkStatus(tx, userId, profileId.toLowerCase(), attachmentId.toLowerCase())
			);
			return c.json(status, 200);
		})
		.openapi(routes.getChunk, async (c) => {
			const { userId } = requireSession(c);
			const { profileId, attachmentId, index } = c.req.valid('param');
			const { ciphertext, count } = await asUser(store, userId, (tx) =>
				readChunk(tx, userId, {
					profileId: profileId.toLowerCase(),
					attachmentId: attachmentId.toLowerCase(),
					index
				})
			);
			return c.body(new Uint8Array(ciphertext), 200, {
				'content-type': 'application/octet-stream',
				'x-chunk-count': String(count)
			});
		});
}
