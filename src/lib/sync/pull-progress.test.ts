import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Change } from '../shared/sync.ts';
import { defaultVaultCrypto } from '../vault/index.ts';
import { vaultFixture } from '../vault/test-fixture.ts';
import { createSyncClient } from './create-sync-client.ts';
import { createProfileKeyRing } from './profile-key-ring.ts';
import { pullChanges, pullProgress, type PullProgress } from './pull-changes.ts';
import type { SyncStatus } from './sync-status.ts';

// Progress of a device's first download (issue 4, Build 4). The server does not say how many
// changes are left, so the count has no total; patients do, since changes arrive in profile order.

const P1 = '10000000-0000-4000-8000-000000000000';
const P2 = '20000000-0000-4000-8000-000000000000';
const P3 = 'a0000000-0000-4000-8000-000000000000';

// Changes of a kind this client only skips (notes are issue 6's), so nothing needs decrypting.
const change = (profileId: string, seq: number): Change => ({
	mutationId: crypto.randomUUID(),
	profileId,
	entityId: `note-${seq}`,
	kind: 'note-update',
	keyVersion: 1,
	ciphertext: 'A'.repeat(32),
	deleted: false,
	seq,
	authorId: P1,
	serverTime: new Date(0).toISOString()
});

// Five changes of P1, three of P2, two of P3, served three at a time in (profile, seq) order.
const log = [
	...[1, 2, 3, 4, 5].map((seq) => change(P1, seq)),
	...[1, 2, 3].map((seq) => change(P2, seq)),
	...[1, 2].map((seq) => change(P3, seq))
];
const page = (cursor: string, limit: number) => {
	const from = Number(cursor || 0);
	const changes = log.slice(from, from + limit);
	const next = from + changes.length;
	return { changes, cursor: String(next), hasMore: next < log.length };
};

describe('pullProgress', () => {
	it('counts the patients whose changes all arrived: those before the page’s last profile', () => {
		const profiles = [P3, P1, P2];
		expect(pullProgress({ received: 3, profiles, lastProfileId: P1, hasMore: true })).toEqual({
			received: 3,
			profilesDone: 0,
			profilesTotal: 3,
			done: false
		});
		expect(
			pullProgress({ received: 6, profiles, lastProfileId: P2.toUpperCase(), hasMore: true })
		).toMatchObject({ profilesDone: 1, done: false });
		expect(pullProgress({ received: 10, profiles, lastProfileId: P3, hasMore: false })).toEqual({
			received: 10,
			profilesDone: 3,
			profilesTotal: 3,
			done: true
		});
	});

	it('has no total when the profiles are not known', () => {
		expect(pullProgress({ received: 4, profiles: null, lastProfileId: P2, hasMore: true })).toEqual(
			{ received: 4, profilesDone: 0, profilesTotal: null, done: false }
		);
	});
});

describe('progress while pulling', () => {
	let fx: Awaited<ReturnType<typeof vaultFixture>>;
	beforeEach(async () => {
		fx = await vaultFixture();
	});
	afterEach(() => fx.cleanup());

	it('reports after every page applied, ending done', async () => {
		const api = {
			pull: async ({ cursor, limit }: { cursor: string; limit: number }) => page(cursor, limit),
			listProfiles: async () => ({ profiles: [] })
		};
		const reports: PullProgress[] = [];
		await pullChanges({
			db: fx.db,
			api,
			crypto: defaultVaultCrypto,
			keys: createProfileKeyRing({
				db: fx.db,
				userKeyPair: fx.userKeyPair,
				crypto: defaultVaultCrypto,
				api
			}),
			clock: fx.clock,
			now: () => 0,
			limit: 3,
			progress: { profiles: [P1, P2, P3], report: (p) => reports.push(p) }
		});
		expect(reports.map((r) => [r.received, r.profilesDone, r.done])).toEqual([
			[3, 0, false],
			[6, 1, false],
			[9, 2, false],
			[10, 3, true]
		]);
	});

	it('shows the download in the sync status during a device’s first sync only', async () => {
		const json = (body: unknown) =>
			new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
		const fetch: typeof globalThis.fetch = async (input) => {
			const url = new URL(String(input), 'http://server');
			if (url.pathname === '/v1/profiles') {
				return json({
					profiles: [P1, P2, P3].map((profileId) => ({
						profileId,
						role: 'owner',
						currentKeyVersion: 1,
						keys: []
					}))
				});
			}
			const limit = Math.min(3, Number(url.searchParams.get('limit')));
			return json(page(url.searchParams.get('cursor') ?? '', limit));
		};
		const sync = createSyncClient({
			db: fx.db,
			userKeyPair: fx.userKeyPair,
			clock: fx.clock,
			fetch,
			autoRetry: false
		});
		const seen: SyncStatus['download'][] = [];
		sync.subscribe((status) => seen.push(status.download));

		await sync.syncNow();
		const downloads = seen.filter((download) => download !== null);
		expect(downloads.map((d) => [d.received, d.profilesDone, d.profilesTotal])).toEqual([
			[0, 0, 3],
			[3, 0, 3],
			[6, 1, 3],
			[9, 2, 3]
		]);
		expect(sync.status.download).toBeNull();

		seen.length = 0;
		await sync.syncNow();
		expect(seen.every((download) => download === null)).toBe(true);
		sync.destroy();
	});
});
