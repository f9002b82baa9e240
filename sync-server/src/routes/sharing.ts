import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { clientAddress } from '../auth/client-address.ts';
import { createRateLimiter } from '../auth/rate-limit.ts';
import { requireSession, sessionRequired } from '../auth/session-middleware.ts';
import { ApiError, errorResponse } from '../errors.ts';
import { invalidRequest, invalidRequestHook } from '../invalid-request.ts';
import type { Store } from '../store/store.ts';
import { asUser } from '../store/transaction-as.ts';
import type { KeyToStore } from '../sync/member-keys.ts';
import { addMember, findUserByEmail, listMembers, revokeMember } from '../sync/sharing.ts';
import * as routes from './sharing-routes.ts';

const limit = (maxSize: number, text: string) =>
	bodyLimit({
		maxSize,
		onError: (c) =>
			errorResponse(c, new ApiError(413, 'payload_too_large', `The request body is over ${text}.`))
	});

/** Wrapped keys as bytes; a string the schema let through that no decoder reads exactly → 400. */
function decodeKeys<T extends { wrappedProfileKey: string }>(
	keys: T[],
	toStore: (key: T, wrappedKey: Buffer) => KeyToStore
): KeyToStore[] {
	const issues: { path: PropertyKey[]; message: string }[] = [];
	const decoded = keys.map((key, index) => {
		const bytes = Buffer.from(key.wrappedProfileKey, 'base64url');
		if (bytes.toString('base64url') !== key.wrappedProfileKey) {
			issues.push({
				path: ['keys', index, 'wrappedProfileKey'],
				message: 'must be canonical base64url'
			});
		}
		return toStore(key, bytes);
	});
	if (issues.length > 0) throw invalidRequest(issues);
	return decoded;
}

/** /v1/users/lookup and /v1/profiles/{profileId}/members*: sharing a profile and revoking it. */
export function sharingRoutes({
	store,
	secret,
	trustedProxyHops
}: {
	store: Store;
	secret: Uint8Array;
	trustedProxyHops: number;
}) {
	const app = new OpenAPIHono({ defaultHook: invalidRequestHook });
	const limiter = createRateLimiter({ store, secret });
	for (const path of [
		'/users/lookup',
		'/profiles/:profileId/members',
		'/profiles/:profileId/members/*'
	]) {
		app.use(path, sessionRequired);
	}
	app.use('/users/lookup', limit(16 * 1024, '16 KiB'));
	// Adding someone carries a wrapped key per key version; ~130 bytes each.
	app.use('/profiles/:profileId/members', limit(1024 * 1024, '1 MiB'));
	app.use('/profiles/:profileId/members/*', limit(1024 * 1024, '1 MiB'));

	return app
		.openapi(routes.lookupUser, async (c) => {
			const { userId } = requireSession(c);
			const { email } = c.req.valid('json');
			await limiter.attempt('user-lookup', {
				account: userId,
				ip: clientAddress(c, trustedProxyHops)
			});
			const user = await asUser(store, userId, (tx) => findUserByEmail(tx, email));
			if (!user) {
				throw new ApiError(
					404,
					'user_not_found',
					'No Charta account uses this email. Ask the person to sign up, then try again.'
				);
			}
			if (user.userId === userId) {
				throw invalidRequest([
					{ path: ['email'], message: 'is your own: share the profile with someone else' }
				]);
			}
			return c.json(user, 200);
		})
		.openapi(routes.listMembers, async (c) => {
			const { userId } = requireSession(c);
			const { profileId } = c.req.valid('param');
			const members = await asUser(store, userId, (tx) => listMembers(tx, userId, profileId));
			return c.json(members, 200);
		})
		.openapi(routes.addMember, async (c) => {
			const { userId } = requireSession(c);
			const { profileId } = c.req.valid('param');
			const { userId: memberId, role, keys } = c.req.valid('json');
			const toStore = decodeKeys(keys, (key, wrappedKey) => ({
				userId: memberId,
				keyVersion: key.keyVersion,
				wrappedKey
			}));
			const member = await asUser(store, userId, (tx) =>
				addMember(tx, userId, profileId, { memberId, role, keys: toStore })
			);
			return c.json(member, 201);
		})
		.openapi(routes.revokeMember, async (c) => {
			const { userId } = requireSession(c);
			const { profileId, userId: memberId } = c.req.valid('param');
			const { keyVersion, keys } = c.req.valid('json');
			const toStore = decodeKeys(keys, (key, wrappedKey) => ({
				userId: key.userId,
				keyVersion,
				wrappedKey
			}));
			const currentKeyVersion = await asUser(store, userId, (tx) =>
				revokeMember(tx, userId, profileId, { memberId, keyVersion, keys: toStore })
			);
			return c.json({ currentKeyVersion }, 200);
		});
}
