import type { PullProgress } from './pull-changes.ts';

export type SyncState = 'offline' | 'saved-locally' | 'syncing' | 'synced' | 'failed';

export interface SyncStatus {
	state: SyncState;
	// Outbox rows not yet on the server, rejected ones included.
	pending: number;
	// Rejected by the server: listed with their reason on the "Offline changes" page.
	rejected: number;
	lastSyncedAt: number | null;
	lastError: string | null;
	// Records holding an unresolved conflict (the persisted conflict marks, so it survives reloads).
	conflicts: number;
	// While this device's first sync downloads the account's records: how far it has got.
	download: PullProgress | null;
}

// What the status indicator shows (issue 4, Build 5): Offline / Saved on this device / Syncing /
// Synced hh:mm / Failed — Retry. Failing to reach the server is "offline", not "failed":
// nothing is wrong with the person's data, it is simply waiting.
export function describeState({
	syncing,
	online,
	reachable,
	failed,
	pending,
	rejected
}: {
	syncing: boolean;
	online: boolean;
	reachable: boolean;
	failed: boolean;
	pending: number;
	rejected: number;
}): SyncState {
	if (syncing) return 'syncing';
	if (!online || !reachable) return 'offline';
	if (failed || rejected > 0) return 'failed';
	return pending > 0 ? 'saved-locally' : 'synced';
}
