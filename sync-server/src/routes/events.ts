import { OpenAPIHono } from '@hono/zod-openapi';
import type { ChangesEvent } from '../../../src/lib/shared/sync.ts';
import { requireSession, sessionRequired } from '../auth/session-middleware.ts';
import { invalidRequestHook } from '../invalid-request.ts';
import { rawResponses } from '../raw-response.ts';
import { formatEvent, nodeSink, webSink, type SseSink } from '../sse-sink.ts';
import type { Queryable, Store } from '../store/store.ts';
import { asUser } from '../store/transaction-as.ts';
import type { ChangeFeed, MembershipEvent } from '../sync/change-feed.ts';
import { decodeCursor, encodeCursor, type Position } from '../sync/cursor.ts';
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

// hono's streamSSE sends these too; the app's middleware then makes Cache-Control no-store.
const STREAM_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

/**
 * GET /v1/events. Each `changes` event's id is a cursor (cursor.ts) of the newest seq nudged per
 * profile on this stream; a reconnect sends it back as Last-Event-ID and gets one `changes` event
 * for every profile that moved past it meanwhile. Memberships are read when the stream opens and
 * again for a profile whenever the owner adds or revokes this user, or this user creates it (a
 * MembershipEvent).
 *
 * On Node (behind apiListener) the events are written to the ServerResponse directly; an idle
 * stream then costs little more than its socket (5,000 are held open in bench/sync). Elsewhere
 * (app.request in tests) they go through a ReadableStream. Both run the same `streamEvents`.
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
		const handlers = {
			change: (event: ChangesEvent) => void queuedChanges.push(event),
			membership: (event: MembershipEvent) => void queuedMemberships.push(event),
			close: () => {}
		};
		let feedClosed = false;
		const unsubscribe = await feed.subscribe({
			userId,
			onChange: (event) => handlers.change(event),
			onMembership: (event) => handlers.membership(event),
			onClose: () => {
				feedClosed = true;
				handlers.close();
			}
		});

		let profiles: MembershipRow[];
		try {
			profiles = await asUser(store, userId, (tx) => readMemberships(tx, userId));
		} catch (error) {
			unsubscribe();
			throw error;
		}

		const start = (sink: SseSink) =>
			streamEvents({
				sink,
				store,
				userId,
				heartbeatMs,
				position,
				replay: Boolean(lastEventId),
				profiles,
				queuedChanges,
				queuedMemberships,
				handlers,
				feedClosed: () => feedClosed,
				unsubscribe
			});

		const raw = rawResponses(c);
		if (raw) {
			return raw.claim({
				headers: STREAM_HEADERS,
				start: (response) => start(nodeSink(response)),
				cancel: unsubscribe
			});
		}
		const { sink, body } = webSink();
		start(sink);
		return c.body(body, 200, STREAM_HEADERS);
	});
}

/** One stream's life, from `: connected` until either side ends it. */
function streamEvents({
	sink,
	store,
	userId,
	heartbeatMs,
	position,
	replay,
	profiles,
	queuedChanges,
	queuedMemberships,
	handlers,
	feedClosed,
	unsubscribe
}: {
	sink: SseSink;
	store: Store;
	userId: string;
	heartbeatMs: number;
	position: Position;
	replay: boolean;
	profiles: MembershipRow[];
	queuedChanges: ChangesEvent[];
	queuedMemberships: MembershipEvent[];
	handlers: {
		change: (event: ChangesEvent) => void;
		membership: (event: MembershipEvent) => void;
		close: () => void;
	};
	feedClosed: () => boolean;
	unsubscribe: () => void;
}) {
	let open = true;
	const member = new Set(profiles.map((profile) => profile.id));
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
		sink.write(
			formatEvent({ event: 'changes', id: encodeCursor(position), data: JSON.stringify(event) })
		);
	};
	// The owner added or revoked this user (sharing.ts notifies it): stop nudging for the profile
	// at once, re-read the membership with one small query, and if it is current nudge once, so a
	// member just added pulls the profile. Only this user's streams do this, and only when it
	// happens: idle streams hold no timer or connection for it.
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
			() => sink.close()
		);
	};

	const heartbeat = setInterval(() => sink.write(': heartbeat\n\n'), heartbeatMs);
	sink.onClose(() => {
		open = false;
		clearInterval(heartbeat);
		unsubscribe();
	});
	handlers.close = () => sink.close();
	if (feedClosed()) {
		sink.close();
		return;
	}

	sink.write(': connected\n\n');
	for (const { id, last_seq } of profiles) {
		const seq = Number(last_seq);
		// Without Last-Event-ID the client pulls on connect anyway: just note where we are.
		if (replay) send({ profileId: id, seq });
		else position[id] = Math.max(position[id] ?? 0, seq);
	}
	for (const event of queuedMemberships.splice(0)) reread(event);
	for (const event of queuedChanges.splice(0)) send(event);
	handlers.membership = reread;
	handlers.change = send;
}
