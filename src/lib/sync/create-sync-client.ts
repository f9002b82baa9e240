import type { CryptoKeyPair } from '../crypto/index.ts';
import { countConflicts, type OutboxRow, type UserDb } from '../db/index.ts';
import type { Clock } from '../hlc/index.ts';
import { ApiRequestError, NetworkError } from '../http/api-errors.ts';
import {
	countNotePushes,
	retryRejectedNotePushes,
	retryStaleNotePushes
} from '../notes/note-pushes.ts';
import type { ProfilesResponse } from '../shared/profiles.ts';
import { defaultVaultCrypto, type VaultCrypto } from '../vault/index.ts';
import { backoffDelay } from './backoff.ts';
import { createProfileKeyRing } from './profile-key-ring.ts';
import { pullChanges, type PullProgress } from './pull-changes.ts';
import { pushOutbox, retryRejected } from './push-outbox.ts';
import { createResealer } from './reseal-record.ts';
import { followKeyRotation } from './follow-key-rotation.ts';
import { registerProfiles } from './register-profiles.ts';
import { createSyncApi } from './sync-api.ts';
import { withSyncLock } from './sync-lock.ts';
import { LAST_SYNCED_SETTING } from './sync-settings.ts';
import { describeState, type SyncStatus } from './sync-status.ts';

export interface SyncClientOptions {
	db: UserDb;
	userKeyPair: CryptoKeyPair;
	clock: Clock;
	crypto?: VaultCrypto;
	fetch?: typeof globalThis.fetch;
	baseUrl?: string;
	now?: () => number;
	random?: () => number;
	// Reported when a sync fails in the background (triggers, retries).
	onError?: (error: unknown) => void;
	// Retry by itself after a retryable failure (off in simulations that drive every step).
	autoRetry?: boolean;
}

const retryable = (error: unknown) =>
	error instanceof NetworkError ||
	(error instanceof ApiRequestError && (error.status >= 500 || error.status === 429));

// The sync engine (issue 4): register new profiles → push the outbox → pull and merge, one tab
// at a time. `syncNow` runs one; calls while one runs are folded into one more run after it.
// A retryable failure (no network, 5xx, 429) schedules a retry with backoff and jitter.
// start() (sync-triggers.ts) adds the background triggers; destroy() removes them.
// Changes waiting in the outbox: an import's batch row counts each of its records.
async function countChanges(db: UserDb, which: (row: OutboxRow) => boolean = () => true) {
	let count = 0;
	await db.outbox.each((row) => {
		if (which(row)) count += row.entityIds?.length ?? 1;
	});
	return count;
}

export function createSyncClient({
	db,
	userKeyPair,
	clock,
	crypto = defaultVaultCrypto,
	fetch = (...args) => globalThis.fetch(...args),
	baseUrl = '',
	now = Date.now,
	random = Math.random,
	onError = () => {},
	autoRetry = true
}: SyncClientOptions) {
	const api = createSyncApi({ fetch, baseUrl });
	const keys = createProfileKeyRing({ db, userKeyPair, crypto, api });
	const reseal = createResealer({ db, crypto, keys });
	const listeners = new Set<(status: SyncStatus) => void>();
	const flags = { syncing: false, online: true, reachable: true, failed: false };
	let status: SyncStatus = {
		state: 'synced',
		pending: 0,
		rejected: 0,
		lastSyncedAt: null,
		lastError: null,
		conflicts: 0,
		download: null
	};
	let running: Promise<SyncStatus> | undefined;
	let again = false;
	let failures = 0;
	let retryTimer: ReturnType<typeof setTimeout> | undefined;
	let destroyed = false;

	async function refresh(): Promise<SyncStatus> {
		const [records, recordsRejected, notes, lastSynced, conflicts] = await Promise.all([
			countChanges(db),
			countChanges(db, (row) => row.lastError !== undefined),
			countNotePushes(db),
			db.settings.get(LAST_SYNCED_SETTING),
			countConflicts(db)
		]);
		// A note's batch of edits waiting to be pushed counts as one change.
		const pending = records + notes.waiting + notes.refused;
		const rejected = recordsRejected + notes.refused;
		status = {
			...status,
			pending,
			rejected,
			lastSyncedAt: typeof lastSynced?.value === 'number' ? lastSynced.value : null,
			conflicts,
			state: describeState({ ...flags, pending, rejected })
		};
		for (const listener of listeners) listener(status);
		return status;
	}

	// A device that has never finished a sync is downloading the whole account: report each page
	// in `status.download` for the progress bar (issue 4, Build 4). Later syncs report nothing.
	async function firstSyncProgress(memberships: Promise<ProfilesResponse>) {
		if (status.lastSyncedAt !== null) return undefined;
		const profiles = await memberships
			.then((list) => list.profiles.map((profile) => profile.profileId))
			.catch(() => null);
		const report = (download: PullProgress) => {
			status = { ...status, download: download.done ? null : download };
			for (const listener of listeners) listener(status);
		};
		report({ received: 0, profilesDone: 0, profilesTotal: profiles?.length ?? null, done: false });
		return { profiles, report };
	}

	async function runOnce(): Promise<void> {
		const refused = await registerProfiles({ db, api });
		// One GET /v1/profiles per sync, after registering: following rotations, the key ring and
		// the download progress read the same list.
		const memberships = api.listProfiles();
		keys.useMemberships(memberships);
		// Roles, shares, removals and key rotations made elsewhere, before anything is pushed.
		const followed = await followKeyRotation({
			db,
			api: { listProfiles: () => memberships },
			keys,
			crypto,
			userKeyPair,
			now
		});
		await retryStaleNotePushes(db, followed.rotated);
		await pushOutbox({ db, api, clientId: clock.nodeId, reseal, noteKeys: keys });
		await pullChanges({
			db,
			api,
			crypto,
			keys,
			clock,
			now,
			progress: await firstSyncProgress(memberships)
		});
		await db.settings.put({ key: LAST_SYNCED_SETTING, value: now() });
		flags.failed = refused.length > 0;
		status.lastError = refused[0]?.error.message ?? null;
	}

	async function attempt(): Promise<void> {
		clearTimeout(retryTimer);
		flags.syncing = true;
		await refresh();
		try {
			await runOnce();
			failures = 0;
			flags.reachable = true;
		} catch (error) {
			status.lastError = error instanceof Error ? error.message : String(error);
			if (retryable(error)) {
				flags.reachable = !(error instanceof NetworkError);
				flags.failed = flags.reachable;
				const retryAfter = error instanceof ApiRequestError ? error.retryAfterSeconds : undefined;
				const delay = retryAfter ? retryAfter * 1000 : backoffDelay({ attempt: failures, random });
				failures++;
				if (autoRetry && !destroyed)
					retryTimer = setTimeout(() => void client.syncNow().catch(onError), delay);
			} else {
				flags.failed = true;
			}
			throw error;
		} finally {
			flags.syncing = false;
			status.download = null;
			await refresh();
		}
	}

	const client = {
		get status(): SyncStatus {
			return status;
		},

		// A Svelte store: calls `listener` now and on every change; returns the unsubscribe.
		subscribe(listener: (status: SyncStatus) => void): () => void {
			listeners.add(listener);
			listener(status);
			return () => listeners.delete(listener);
		},

		// Resolves with the status after the run; rejects with what failed (retry is scheduled).
		syncNow(): Promise<SyncStatus> {
			if (running) {
				again = true;
				return running;
			}
			running = (async () => {
				try {
					do {
						again = false;
						await withSyncLock(`charta-sync:${db.name}`, attempt);
					} while (again && !destroyed);
					return status;
				} finally {
					running = undefined;
				}
			})();
			return running;
		},

		async retryRejected(): Promise<SyncStatus> {
			await retryRejected(db);
			await retryRejectedNotePushes(db);
			return client.syncNow();
		},

		setOnline(online: boolean): void {
			flags.online = online;
			if (online) flags.reachable = true;
			void refresh().catch(onError);
		},

		refresh,

		// Profile keys by version, unwrapped once: the notes open and seal with these too.
		keys,

		destroy(): void {
			destroyed = true;
			clearTimeout(retryTimer);
			listeners.clear();
		}
	};
	return client;
}

export type SyncClient = ReturnType<typeof createSyncClient>;
