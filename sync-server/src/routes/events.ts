import { OpenAPIHono } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { ChangesEvent } from '../../../src/lib/shared/sync.ts';
import { requireSession, sessionRequired } from '../auth/session-middleware.ts';
import { invalidRequestHook } from '../invalid-request.ts';
import type { Queryable, Store } from '../store/store.ts';
import { asUser } from '../store/transaction-as.ts';
import type { ChangeFeed, MembershipEvent } from '../sync/change-feed.ts';
import { decodeCursor, encodeCursor } from '../sync/cursor.ts';
import * as routes from './sync-routes.ts';

export interface EventRoutesOptions {
	store: Store;
	feed: ChangeFeed;
	/** How often an idle stream gets a comment line; proxies drop silent connections. */
	heartbeatMs: number;
}

interface MembershipRow extends Record<string, unknown> {
	id: string;
	last_seq: number | string;
}

/** The caller's current profiles (or just `profileId`, if still theirs) and where each stands. */
const readMemberships = (tx: Queryable, userId: string, profileId?: string) =>
	tx.query<MembershipRow>(
		`select p.id, p.last_seq from charta.profiles p
		 join charta.profile_members m on m.profile_id = p.id
		 where m.user_id = $1 and m.revoked_at is null and ($2::uuid is null or p.id = $2::uuid)`,
		[userId, profileId ?? null]
	);

/**
 * GET /v1/events. Each `changes` event's id is a cursor (cursor.ts) of the newest seq nudged per
 * profile on this stream; a reconnect sends it back as Last-Event-ID and gets one `changes` event
 * for every profile that moved past it meanwhile. Memberships are read when the stream opens and
 * again for a profile whenever the owner adds or revokes this user (a MembershipEvent).
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
		const queuedChanges: ChangesEvent[] = [];
		const queuedMemberships: MembershipEvent[] = [];
		let onChange: (event: ChangesEvent) => void = (event) => void queuedChanges.push(event);
		let onMembership: (event: MembershipEvent) => void = (event) =>
			void queuedMemberships.push(event);
		let end = () => {};
		const ended = new Promise<void>((resolve) => (end = resolve));
		const unsubscribe = await feed.subscribe({
			userId,
			onChange: (event) => onChange(event),
			onMembership: (event) => onMembership(event),
			onClose: () => end()
		});

		let profiles: MembershipRow[];
		try {
			profiles = await asUser(store, userId, (tx) => readMemberships(tx, userId));
		} catch (error) {
			unsubscribe();
			throw error;
		}
		const member = new Set(profiles.map((profile) => profile.id));

		return streamSSE(c, async (stream) => {
			let writing = Promise.resolve();
			let open = true;
			// Profiles whose membership is being re-read: the highest seq announced meanwhile.
			let rereading: Map<string, { generation: number; seq: number }> | undefined;
			let generation = 0;

			const send = (event: ChangesEvent) => {
				const held = rereading?.get(event.profileId);
				if (held) {
					held.seq = Math.max(held.seq, event.seq);
					return;
				}
				if (!member.has(event.profileId) || event.seq <= (position[event.profileId] ?? 0)) return;
				position[event.profileId] = event.seq;
				const id = encodeCursor(position);
				writing = writing.then(() =>
					stream.writeSSE({ event: 'changes', id, data: JSON.stringify(event) })
				);
			};
			// The owner added or revoked this user (sharing.ts notifies it): stop nudging for the
			// profile at once, re-read the membership with one small query, and if it is current
			// nudge once, so a member just added pulls the profile. Only this user's streams do this,
			// and only when it happens: idle streams hold no timer or connection for it.
			const reread = ({ profileId }: MembershipEvent) => {
				member.delete(profileId);
				delete position[profileId];
				rereading ??= new Map();
				const mine = ++generation;
				rereading.set(profileId, { generation: mine, seq: rereading.get(profileId)?.seq ?? 0 });
				asUser(store, userId, (tx) => readMemberships(tx, userId, profileId)).then(
					([row]) => {
						const held = rereading?.get(profileId);
						if (!open || held?.generation !== mine) return; // a later event reads again
						rereading!.delete(profileId);
						if (!row) return;
						member.add(profileId);
						send({ profileId, seq: Math.max(Number(row.last_seq), held.seq) });
					},
					// Unsure whom to tell: end the stream; EventSource reconnects and reads afresh.
					() => end()
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
				for (const event of queuedMemberships.splice(0)) reread(event);
				for (const event of queuedChanges.splice(0)) send(event);
				onMembership = reread;
				onChange = send;
				await ended;
			} finally {
				open = false;
				clearInterval(heartbeat);
				unsubscribe();
				await writing.catch(() => {});
			}
		});
	});
}
