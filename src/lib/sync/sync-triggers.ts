import type { UserDb } from '../db/index.ts';
import { ChangesEvent } from '../shared/sync.ts';
import { streamEvents } from '../stream/stream-events.ts';
import type { SyncClient } from './create-sync-client.ts';

type Target = Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;

// When to sync (issue 4): after each local write, on `online`, when the tab becomes visible again
// (Safari has no Background Sync, 2026), on a `changes` nudge from GET /v1/events, and every few
// minutes. Bursts of triggers fold into one run. Returns `stop`, which removes everything it added.
export function startSyncTriggers({
	client,
	db,
	fetch = (...args) => globalThis.fetch(...args),
	baseUrl = '',
	win = typeof window === 'undefined' ? undefined : window,
	doc = typeof document === 'undefined' ? undefined : document,
	events = true,
	intervalMs = 3 * 60_000,
	debounceMs = 150,
	onError = () => {}
}: {
	client: SyncClient;
	db: UserDb;
	fetch?: typeof globalThis.fetch;
	baseUrl?: string;
	win?: Target & { navigator?: { onLine?: boolean } };
	doc?: Target & { visibilityState?: DocumentVisibilityState };
	events?: boolean;
	intervalMs?: number;
	debounceMs?: number;
	onError?: (error: unknown) => void;
}): () => void {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const schedule = (delay = debounceMs) => {
		clearTimeout(timer);
		timer = setTimeout(() => void client.syncNow().catch(onError), delay);
	};

	// Every outbox row is added in its change's transaction: once that commits, show "Saved on
	// this device (n)" at once (not a stale "Synced" until the sync starts) and sync. An import
	// adds thousands of rows in one transaction; its refreshes fold into one.
	let refreshQueued = false;
	const afterCommit = () => {
		schedule();
		if (refreshQueued) return;
		refreshQueued = true;
		queueMicrotask(() => {
			refreshQueued = false;
			void client.refresh().catch(onError);
		});
	};
	function onOutboxRow(
		this: unknown,
		_key: unknown,
		_row: unknown,
		tx: { on: (e: 'complete', f: () => void) => void }
	) {
		tx.on('complete', afterCommit);
	}
	db.outbox.hook('creating', onOutboxRow as never);

	const onOnline = () => {
		client.setOnline(true);
		schedule(0);
	};
	const onOffline = () => client.setOnline(false);
	const onVisible = () => {
		if (doc?.visibilityState === 'visible') schedule(0);
	};
	win?.addEventListener('online', onOnline);
	win?.addEventListener('offline', onOffline);
	doc?.addEventListener('visibilitychange', onVisible);
	if (win?.navigator?.onLine === false) client.setOnline(false);
	const interval = setInterval(() => schedule(0), intervalMs);

	const abort = new AbortController();
	if (events) {
		void (async () => {
			for await (const message of streamEvents({
				url: `${baseUrl}/v1/events`,
				fetch,
				signal: abort.signal,
				// A (re)connect may have missed nudges: pull once.
				onOpen: () => schedule(0)
			})) {
				if (
					message.event === 'changes' &&
					ChangesEvent.safeParse(JSON.parse(message.data)).success
				) {
					schedule(0);
				}
			}
		})().catch((error: unknown) => {
			if (!abort.signal.aborted) onError(error);
		});
	}

	schedule(0);
	return () => {
		abort.abort();
		clearTimeout(timer);
		clearInterval(interval);
		db.outbox.hook('creating').unsubscribe(onOutboxRow as never);
		win?.removeEventListener('online', onOnline);
		win?.removeEventListener('offline', onOffline);
		doc?.removeEventListener('visibilitychange', onVisible);
	};
}
