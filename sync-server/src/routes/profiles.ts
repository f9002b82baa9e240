import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requireSession, sessionRequired } from '../auth/session-middleware.ts';
import { ApiError, errorResponse } from '../errors.ts';
import { invalidRequest, invalidRequestHook } from '../invalid-request.ts';
import type { Store } from '../store/store.ts';
import { asUser } from '../store/transaction-as.ts';
import { createProfile, listMemberships } from '../sync/profiles.ts';
import * as routes from './sync-routes.ts';

/** /v1/profiles: create a profile (its owner's key at version 1) and list one's memberships. */
export function profileRoutes({ store }: { store: Store }) {
	const app = new OpenAPIHono({ defaultHook: invalidRequestHook });
	app.use('/profiles', sessionRequired);
	app.use(
		'/profiles',
		bodyLimit({
			maxSize: 16 * 1024,
			onError: (c) =>
				errorResponse(c, new ApiError(413, 'payload_too_large', 'The request body is over 16 KiB.'))
		})
	);
	return app
		.openapi(routes.createProfile, async (c) => {
			const { userId } = requireSession(c);
			const { profileId, wrappedProfileKey } = c.req.valid('json');
			const wrappedKey = Buffer.from(wrappedProfileKey, 'base64url');
			if (wrappedKey.toString('base64url') !== wrappedProfileKey) {
				throw invalidRequest([
					{ path: ['wrappedProfileKey'], message: 'must be canonical base64url' }
				]);
			}
			const { outcome, membership } = await asUser(store, userId, async (tx) => {
				const outcome = await createProfile(tx, userId, { profileId, wrappedKey });
				const [membership] =
					outcome === 'taken' ? [] : await listMemberships(tx, userId, profileId);
				return { outcome, membership };
			});
			if (outcome === 'taken' || !membership) {
				throw new ApiError(
					409,
					'profile_exists',
					'A profile with this id exists already. Create the profile with a new id.'
				);
			}
			return c.json(membership, outcome === 'created' ? 201 : 200);
		})
		.openapi(routes.listProfiles, async (c) => {
			const { userId } = requireSession(c);
			const profiles = await asUser(store, userId, (tx) => listMemberships(tx, userId));
			return c.json({ profiles }, 200);
		});
}
