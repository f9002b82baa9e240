import { OpenAPIHono } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { ChangesEvent } from '../../../src/lib/shared/sync.ts';
import { requireSession, sessionRequired } from '../auth/session-middleware.ts';
import { invalidRequestHook } from '../invalid-request.ts';
import type { Store } from '../store/store.ts';
import { asUser } from '../store/transaction-as.ts';
import type { ChangeFeed } from '../sync/change-feed.ts';
import { decodeCursor, encodeCursor } from '../sync/cursor.ts';
import * as routes from './sync-routes.ts';

export interface EventRoutesOptions {
	store: Store;
	feed: ChangeFeed;
	/** How often an idle stream gets a comment line; proxies drop silent connections. */
	heartbeatMs: number;
}

/**
 * GET /v1/events. Each `changes` event's id is a cursor (cursor.ts) of the newest seq nudged per
 * profile on this stream; a reconnect sends it back as Last-Event-ID and gets one `changes` event
 * for every profile that moved past it meanwhile.
 */
export function eventRoutes({ store, feed, heartbeatMs }: EventRoutesOptions) {
	const app = new OpenAPIHono({ defaultHook: invalidRequestHook });
	app.use('/events', sessionRequired);

	return app.openapi(routes.events, async (c) => {
		const { userId } = requireSession(c);
		const lastEventId = c.req.header('last-event-id');
		const position = decodeCursor(lastEventId, ['headers', 'last-event-id']);

		// Listen before reading where the profiles are, so a change committed in between is sent
		// (perhaps twice, which costs the client one empty pull) rather than lost.
		const queued: ChangesEvent[] = [];
		let onChange: (event: ChangesEvent) => void = (event) => void queued.push(event);
		let end = () => {};
		const ended = new Promise<void>((resolve) => (end = resolve));
		const unsubscribe = await feed.subscribe({
			onChange: (event) => onChange(event),
			onClose: () => end()
		});

		let profiles: { id: string; last_seq: number | string }[];
		try {
			profiles = await asUser(store, userId, (tx) =>
				tx.query(
					`select p.id, p.last_seq from charta.profiles p
					 join charta.profile_members m on m.profile_id = p.id
					 where m.user_id = $1 and m.revoked_at is null`,
					[userId]
				)
			);
		} catch (error) {
			unsubscribe();
			throw error;
		}
		// Membership is read once per connection: a profile shared later is nudged after reconnecting.
		const member = new Set(profiles.map((profile) => profile.id));

		return streamSSE(c, async (stream) => {
			let writing = Promise.resolve();
			const send = (event: ChangesEvent) => {
				if (!member.has(event.profileId) || event.seq <= (position[event.profileId] ?? 0)) return;
				position[event.profileId] = event.seq;
				const id = encodeCursor(position);
				writing = writing.then(() =>
					stream.writeSSE({ event: 'changes', id, data: JSON.stringify(event) })
				);
			};
			const heartbeat = setInterval(() => {
				writing = writing.then(() => stream.write(': heartbeat\n\n')).then(() => {});
			}, heartbeatMs);
			stream.onAbort(() => end());
			try {
				await stream.write(': connected\n\n');
				for (const { id, last_seq } of profiles) {
					const seq = Number(last_seq);
					// Without Last-Event-ID the client pulls on connect anyway: just note where we are.
					if (lastEventId) send({ profileId: id, seq });
					else position[id] = Math.max(position[id] ?? 0, seq);
				}
				for (const event of queued.splice(0)) send(event);
				onChange = send;
				await ended;
			} finally {
				clearInterval(heartbeat);
				unsubscribe();
				await writing.catch(() => {});
			}
		});
	});
}
