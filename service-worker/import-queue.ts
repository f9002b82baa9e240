import { openUserDb, type UserDb } from '../src/lib/db/index.ts';
import { drainImports, type DrainOutcome } from '../src/lib/imports/drain-imports.ts';
import { createHandedKeys } from '../src/lib/imports/handed-keys.ts';
import {
	IMPORTS_KEYS_WANTED,
	IMPORTS_SYNC_TAG,
	isImportsDrainMessage,
	isImportsForgetMessage
} from '../src/lib/shared/sw-messages.ts';
import { backoffDelay } from '../src/lib/sync/backoff.ts';

type Scope = ServiceWorkerGlobalScope;
interface SyncEvent extends ExtendableEvent {
	readonly tag: string;
	readonly lastChance: boolean;
}

/**
 * The worker's half of the import queue (src/lib/imports): drains on Background Sync and when a
 * page asks, with the user id and profile keys that page handed over, one drain at a time.
 * Locked means no keys: the queue waits, and a sync that fires then asks open pages for them.
 */
export function startImportQueue(scope: Scope): void {
	const keys = createHandedKeys();
	let userId: string | null = null;
	let db: UserDb | null = null;
	let abort = new AbortController();
	let running: Promise<DrainOutcome> | null = null;
	let again = false;
	let failures = 0;
	let retryTimer: ReturnType<typeof setTimeout> | undefined;

	function forget() {
		abort.abort(new DOMException('Charta was locked', 'AbortError'));
		abort = new AbortController();
		keys.forget();
		userId = null;
		db?.close();
		db = null;
		clearTimeout(retryTimer);
	}

	async function drainOnce(): Promise<DrainOutcome> {
		if (!userId || !db) {
			await askForKeys();
			return 'waiting';
		}
		const signal = abort.signal;
		try {
			return await drainImports({
				db,
				fetch: (...args) => fetch(...args),
				profileKey: keys.get,
				hasKeys: keys.has,
				processing: keys.processing,
				signal,
				onUnexpected: (error) => console.error('import failed', (error as Error)?.name)
			});
		} catch (error) {
			if (signal.aborted) return 'waiting';
			throw error;
		}
	}

	// One drain at a time: events overlap even though the worker is single-threaded. A trigger
	// during a drain runs it once more afterwards (a job may have been added meanwhile).
	function drain(): Promise<DrainOutcome> {
		if (running) {
			again = true;
			return running;
		}
		clearTimeout(retryTimer);
		running = (async () => {
			let outcome: DrainOutcome;
			do {
				again = false;
				outcome = await drainOnce();
			} while (again && outcome !== 'offline');
			if (outcome === 'offline') {
				// Retried while this worker lives; Background Sync and the page's triggers cover the rest.
				retryTimer = setTimeout(
					() => void drain().catch(() => {}),
					backoffDelay({ attempt: failures++, random: Math.random })
				);
			} else {
				failures = 0;
			}
			return outcome;
		})().finally(() => {
			running = null;
		});
		return running;
	}

	async function askForKeys() {
		for (const client of await scope.clients.matchAll({ type: 'window' })) {
			client.postMessage({ type: IMPORTS_KEYS_WANTED });
		}
	}

	scope.addEventListener('message', (event) => {
		if (isImportsForgetMessage(event.data)) {
			forget();
		} else if (isImportsDrainMessage(event.data)) {
			if (userId !== event.data.userId) {
				forget();
				userId = event.data.userId;
				db = openUserDb(userId);
			}
			keys.replace(event.data.keys, event.data.cloud);
			event.waitUntil(drain().catch((error) => console.error('import drain', error)));
		}
	});

	scope.addEventListener('sync', (event) => {
		const sync = event as SyncEvent;
		if (sync.tag !== IMPORTS_SYNC_TAG) return;
		// A rejected promise asks the browser to fire the sync again later, with its own backoff.
		sync.waitUntil(
			drain().then((outcome) => {
				if (outcome === 'offline' && !sync.lastChance)
					throw new Error('Imports wait for the network');
			})
		);
	});
}
