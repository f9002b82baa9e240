import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requireSession, sessionRequired } from '../auth/session-middleware.ts';
import { ApiError, errorResponse } from '../errors.ts';
import { invalidRequestHook } from '../invalid-request.ts';
import type { Store } from '../store/store.ts';
import { asUser } from '../store/transaction-as.ts';
import { decodeCursor } from '../sync/cursor.ts';
import { pullChanges } from '../sync/pull.ts';
import { pushMutations } from '../sync/push.ts';
import * as routes from './sync-routes.ts';

/** A push's body at most: 500 mutations, each at most 1 MiB, need not fit in one request. */
export const MAX_PUSH_BODY_BYTES = 16 * 1024 * 1024;

/** /v1/sync/push and /v1/sync/pull (DESIGN.md "Sync protocol v1"). */
export function syncRoutes({ store }: { store: Store }) {
	const app = new OpenAPIHono({ defaultHook: invalidRequestHook });
	app.use('/sync/*', sessionRequired);
	app.use(
		'/sync/push',
		bodyLimit({
			maxSize: MAX_PUSH_BODY_BYTES,
			onError: (c) =>
				errorResponse(
					c,
					new ApiError(
						413,
						'payload_too_large',
						'A push body may be 16 MiB at most; send fewer mutations.'
					)
				)
		})
	);

	return app
		.openapi(routes.push, async (c) => {
			const { userId } = requireSession(c);
			const { mutations } = c.req.valid('json');
			const results = await pushMutations(store, userId, mutations);
			return c.json({ results }, 200);
		})
		.openapi(routes.pull, async (c) => {
			const { userId } = requireSession(c);
			const { cursor, limit } = c.req.valid('query');
			const position = decodeCursor(cursor, ['cursor']);
			const page = await asUser(store, userId, (tx) => pullChanges(tx, userId, position, limit));
			return c.json(page, 200);
		});
}
