import type { CryptoKeyPair } from '../crypto/index.ts';
import type { UserDb } from '../db/index.ts';
import type { Clock } from '../hlc/index.ts';
import { ApiRequestError, NetworkError } from '../http/api-errors.ts';
import { defaultVaultCrypto, type VaultCrypto } from '../vault/index.ts';
import { backoffDelay } from './backoff.ts';
import { createProfileKeyRing } from './profile-key-ring.ts';
import { pullChanges } from './pull-changes.ts';
import { pushOutbox, retryRejected } from './push-outbox.ts';
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
	const listeners = new Set<(status: SyncStatus) => void>();
	const conflicted = new Set<string>();
	const flags = { syncing: false, online: true, reachable: true, failed: false };
	let status: SyncStatus = {
		state: 'synced',
		pending: 0,
		rejected: 0,
		lastSyncedAt: null,
		lastError: null,
		conflicts: 0
	};
	let running: Promise<SyncStatus> | undefined;
	let again = false;
	let failures = 0;
	let retryTimer: ReturnType<typeof setTimeout> | undefined;
	let destroyed = false;

	async function refresh(): Promise<SyncStatus> {
		const [pending, rejected, lastSynced] = await Promise.all([
			db.outbox.count(),
			db.outbox.filter((row) => row.lastError !== undefined).count(),
			db.settings.get(LAST_SYNCED_SETTING)
		]);
		status = {
			...status,
			pending,
			rejected,
			lastSyncedAt: typeof lastSynced?.value === 'number' ? lastSynced.value : null,
			conflicts: conflicted.size,
			state: describeState({ ...flags, pending, rejected })
		};
		for (const listener of listeners) listener(status);
		return status;
	}

	async function runOnce(): Promise<void> {
		keys.forgetMemberships();
		const refused = await registerProfiles({ db, api });
		await pushOutbox({ db, api, clientId: clock.nodeId });
		const applied = await pullChanges({ db, api, crypto, keys, clock, now });
		for (const id of applied.clear) conflicted.delete(id);
		for (const id of applied.conflicted) conflicted.add(id);
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
			return client.syncNow();
		},

		setOnline(online: boolean): void {
			flags.online = online;
			if (online) flags.reachable = true;
			void refresh().catch(onError);
		},

		refresh,

		destroy(): void {
			destroyed = true;
			clearTimeout(retryTimer);
			listeners.clear();
		}
	};
	return client;
}

export type SyncClient = ReturnType<typeof createSyncClient>;
