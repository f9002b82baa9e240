import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../sync-server/src/app.ts';
import { createHttpServer, type HttpServer } from '../../sync-server/src/http-server.ts';
import { createLogger } from '../../sync-server/src/logger.ts';
import { missingBuildHandler } from '../../sync-server/src/page-handler.ts';
import { migrate } from '../../sync-server/src/store/migrate.ts';
import type { Store } from '../../sync-server/src/store/store.ts';
import { createChangeFeed, type ChangeFeed } from '../../sync-server/src/sync/change-feed.ts';
import { ApiErrorBody } from '../../src/lib/shared/api-error.ts';
import type { SessionResponse } from '../../src/lib/shared/auth.ts';
import { PushResponse, type Mutation } from '../../src/lib/shared/sync.ts';
import { createApiClient, type ApiClient } from '../helpers/api-client.ts';
import { createClientAccount, derivePasswordKeys, signupBody } from '../helpers/auth-client.ts';
import { storeKinds } from '../helpers/databases.ts';
import { readSse } from '../helpers/sse-reader.ts';
import { fakeWrappedKey, newMutation } from '../helpers/sync-fixtures.ts';

// /v1/events through the real node:http server, where the route writes to Node's response
// itself (raw-response.ts, sse-sink.ts) rather than through a web stream as app.request sees it.

const migrationsDir = new URL('../../supabase/migrations', import.meta.url).pathname;
const HEARTBEAT_MS = 100;

describe.each(storeKinds)('events over node:http on $name', ({ available, open }) => {
	let store: Store;
	let dispose: () => Promise<void>;
	let feed: ChangeFeed;
	let app: App;
	let http: HttpServer;
	let base: string;
	let device: ApiClient;
	let profileId: string;

	beforeAll(async () => {
		if (!available) return;
		({ store, dispose } = await open());
		await migrate(store, migrationsDir);
		feed = createChangeFeed({ store });
		app = createApp({
			store,
			version: 'test',
			logger: createLogger('silent'),
			auth: { secret: new Uint8Array(32).fill(7), trustedProxyHops: 1 },
			events: { feed, heartbeatMs: HEARTBEAT_MS }
		});
		http = createHttpServer({ app, pages: missingBuildHandler('build') });
		await new Promise<void>((resolve) => http.server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;

		const keys = await createClientAccount(await derivePasswordKeys('events over node'));
		device = createApiClient(app);
		const email = `node-events-${randomUUID().slice(0, 8)}@example.org`;
		const signedUp = await device.request<SessionResponse>('POST', '/v1/auth/signup', {
			json: signupBody(keys, email)
		});
		expect(signedUp.status).toBe(201);
		profileId = randomUUID();
		const created = await device.request('POST', '/v1/profiles', {
			json: { profileId, wrappedProfileKey: fakeWrappedKey(), keyVersion: 1 }
		});
		expect(created.status).toBe(201);
	});
	afterAll(async () => {
		await feed?.close();
		await http?.close(1000);
		await dispose?.();
	});
	beforeEach((context) => {
		if (!available) context.skip('PostgreSQL is not reachable');
	});

	const push = async (mutations: Mutation[]) =>
		PushResponse.parse(
			(await device.request('POST', '/v1/sync/push', { json: { clientId: 'node', mutations } }))
				.body
		).results.map((result) => (result as { seq: number }).seq);

	async function openEvents(lastEventId?: string) {
		const abort = new AbortController();
		const headers: Record<string, string> = { cookie: device.cookieHeader() };
		if (lastEventId) headers['last-event-id'] = lastEventId;
		const response = await fetch(`${base}/v1/events`, { headers, signal: abort.signal });
		const stream = readSse(response.body!);
		return { response, stream, close: () => abort.abort() };
	}

	it('streams with the API headers, nudges with ids, beats, and lets go on disconnect', async () => {
		const before = feed.subscribers;
		const { response, stream, close } = await openEvents();
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
		expect(response.headers.get('cache-control')).toBe('no-store');
		// secureHeaders, as on every other /v1 answer.
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('x-hono-already-sent')).toBeNull();
		await stream.next((frame) => frame.comment === 'connected');
		expect(feed.subscribers).toBe(before + 1);

		const [seq] = await push([newMutation(profileId)]);
		const frame = await stream.next(
			(f) => f.event === 'changes' && JSON.parse(f.data!).seq === seq
		);
		expect(JSON.parse(frame.data!)).toEqual({ profileId, seq });
		expect(frame.id).toMatch(/^[A-Za-z0-9_-]+$/);
		await stream.next((f) => f.comment === 'heartbeat', HEARTBEAT_MS * 20);

		close();
		await expect.poll(() => feed.subscribers).toBe(before);

		// Reconnecting with the last id replays what moved meanwhile, once per profile.
		const missed = await push([newMutation(profileId), newMutation(profileId)]);
		const again = await openEvents(frame.id);
		const replayed = await again.stream.next((f) => f.event === 'changes');
		expect(JSON.parse(replayed.data!)).toEqual({ profileId, seq: missed[1] });
		again.close();
		await expect.poll(() => feed.subscribers).toBe(before);
	});

	it('answers 401 in the error envelope without a session', async () => {
		const response = await fetch(`${base}/v1/events`);
		expect(response.status).toBe(401);
		expect(ApiErrorBody.parse(await response.json()).error.code).toBe('unauthenticated');
	});

	it('ends open streams when the feed closes (server shutdown)', async () => {
		const ownFeed = createChangeFeed({ store });
		const ownApp = createApp({
			store,
			version: 'test',
			logger: createLogger('silent'),
			auth: { secret: new Uint8Array(32).fill(7), trustedProxyHops: 1 },
			events: { feed: ownFeed, heartbeatMs: HEARTBEAT_MS }
		});
		const ownHttp = createHttpServer({ app: ownApp, pages: missingBuildHandler('build') });
		await new Promise<void>((resolve) => ownHttp.server.listen(0, '127.0.0.1', resolve));
		const port = (ownHttp.server.address() as AddressInfo).port;
		try {
			const response = await fetch(`http://127.0.0.1:${port}/v1/events`, {
				headers: { cookie: device.cookieHeader() }
			});
			const stream = readSse(response.body!);
			await stream.next((frame) => frame.comment === 'connected');
			expect(ownFeed.subscribers).toBe(1);
			await ownFeed.close();
			await stream.ended();
			expect(ownFeed.subscribers).toBe(0);
		} finally {
			await ownHttp.close(1000);
		}
	});
});
