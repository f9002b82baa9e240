import { liveQuery } from 'dexie';
import { readEnvelopeKeyVersion, type ProfileKey } from '../crypto/index.ts';
import type { ImportRow, UserDb } from '../db/index.ts';
import {
	IMPORTS_DRAIN,
	IMPORTS_FORGET,
	IMPORTS_SYNC_TAG,
	isImportsKeysWantedMessage,
	type HandedProfileKey,
	type ImportsDrainMessage
} from '../shared/sw-messages.ts';
import { consentCovers, fetchAiInfo, readConsent } from '../consent/index.ts';
import { addReport, type ReportFile, type ReportVault } from './add-report.ts';
import { drainImports } from './drain-imports.ts';
import { createHandedKeys } from './handed-keys.ts';
import { isActiveImport } from './import-states.ts';
import { deleteImport, retryImport } from './queue-actions.ts';

export interface ImportsVault extends ReportVault {
	profileKeyFor(profileId: string, version: number): Promise<ProfileKey>;
}

type Target = Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;

// Where the drains run: the service worker (posted to), or, in a browser without one, this page.
export interface ImportsWorker {
	post(message: ImportsDrainMessage | { type: typeof IMPORTS_FORGET }): void;
	// Background Sync, where the browser has it (Chromium, 2026): drains even after the tab closed.
	registerSync(): void;
	// Messages from the worker; returns the function that stops listening.
	listen(onMessage: (data: unknown) => void): () => void;
}

export function serviceWorkerPort(container: ServiceWorkerContainer): ImportsWorker {
	const ready = container.ready;
	return {
		post: (message) => void ready.then((registration) => registration.active?.postMessage(message)),
		registerSync: () =>
			void ready
				.then((registration) =>
					(
						registration as ServiceWorkerRegistration & {
							sync?: { register(tag: string): Promise<void> };
						}
					).sync?.register(IMPORTS_SYNC_TAG)
				)
				.catch(() => {}),
		listen(onMessage) {
			const listener = (event: MessageEvent) => onMessage(event.data);
			container.addEventListener('message', listener);
			return () => container.removeEventListener('message', listener);
		}
	};
}

/**
 * The unlocked page's side of the import queue: adds reports, lists imports live (Dexie
 * liveQuery sees the worker's writes through Dexie's BroadcastChannel), and hands the worker the
 * keys its queue needs whenever a drain is due: on start, `online`, the tab becoming visible
 * (Safari has no Background Sync, 2026), after an add or a Retry, and when the worker asks.
 * `destroy` (lock, sign-out) tells the worker to forget the keys and removes every listener.
 */
export function createImportsClient({
	db,
	userId,
	vault,
	worker,
	win = typeof window === 'undefined' ? undefined : window,
	doc = typeof document === 'undefined' ? undefined : document,
	onError = () => {}
}: {
	db: UserDb;
	userId: string;
	vault: ImportsVault;
	worker?: ImportsWorker;
	win?: Target;
	doc?: Target & { visibilityState?: DocumentVisibilityState };
	onError?: (error: unknown) => void;
}) {
	const abort = new AbortController();
	// Without a service worker the page drains itself, with the same code, while it is open.
	const local = worker ? null : createLocalDrain();

	async function currentKey(profileId: string): Promise<ProfileKey> {
		const profile = await db.profiles.get(profileId);
		if (!profile) throw new Error('This patient is not on this device.');
		return vault.profileKeyFor(profileId, profile.keyVersion);
	}

	// The keys the queued imports need: each profile's current key (new job keys and results are
	// sealed under it) and the versions their files and job keys were sealed under.
	async function keysForQueue(): Promise<HandedProfileKey[]> {
		const rows = (await db.imports.toArray()).filter(isActiveImport);
		const wanted = new Map<string, { profileId: string; version: number }>();
		const want = (profileId: string, version: number) =>
			wanted.set(`${profileId}:${version}`, { profileId, version });
		for (const row of rows) {
			const [profile, attachment] = await Promise.all([
				db.profiles.get(row.profileId),
				db.attachments.get(row.attachmentId)
			]);
			if (profile) want(row.profileId, profile.keyVersion);
			if (attachment) want(row.profileId, attachment.keyVersion);
			if (row.sealedJobKey) want(row.profileId, readEnvelopeKeyVersion(row.sealedJobKey));
		}
		const handed = await Promise.all(
			[...wanted.values()].map(({ profileId, version }) =>
				vault.profileKeyFor(profileId, version).then(
					(key) => ({ profileId, version, key: key.key }),
					() => null
				)
			)
		);
		return handed.filter((entry) => entry !== null);
	}

	// The profiles among these whose recorded consent covers the server's cloud provider (asked
	// once per drain, and only when some consent is recorded); on any doubt, local.
	async function cloudProfiles(keys: HandedProfileKey[]): Promise<string[]> {
		const profileIds = [...new Set(keys.map((key) => key.profileId))];
		const consents = await Promise.all(profileIds.map((id) => readConsent(db, id)));
		if (consents.every((consent) => consent === null)) return [];
		const ai = await fetchAiInfo().catch(() => null);
		return profileIds.filter((_, index) => consentCovers(consents[index] ?? null, ai));
	}

	let handing: Promise<void> | null = null;
	let handAgain = false;
	function drain(): void {
		if (abort.signal.aborted) return;
		if (handing) {
			// An import added while the keys were being gathered may need one more.
			handAgain = true;
			return;
		}
		handAgain = false;
		handing = (async () => {
			const keys = await keysForQueue();
			if (keys.length === 0 || abort.signal.aborted) return;
			const cloud = await cloudProfiles(keys);
			const message: ImportsDrainMessage = { type: IMPORTS_DRAIN, userId, keys, cloud };
			if (worker) worker.post(message);
			else local!.drain(message.keys, cloud);
		})()
			.catch(onError)
			.finally(() => {
				handing = null;
				if (handAgain) drain();
			});
	}

	const onOnline = () => drain();
	const onVisible = () => {
		if (doc?.visibilityState === 'visible') drain();
	};
	win?.addEventListener('online', onOnline);
	doc?.addEventListener('visibilitychange', onVisible);
	const stopListening = worker?.listen((data) => {
		if (isImportsKeysWantedMessage(data)) drain();
	});
	drain();

	return {
		drain,

		/** Every import of a profile, newest first, as it changes (for $effect subscriptions). */
		watch(profileId: string, onRows: (rows: ImportRow[]) => void): () => void {
			const subscription = liveQuery(() =>
				db.imports.where('profileId').equals(profileId).toArray()
			).subscribe({
				next: (rows) =>
					onRows(rows.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))),
				error: onError
			});
			return () => subscription.unsubscribe();
		},

		async add(profileId: string, file: ReportFile, replacing?: string): Promise<ImportRow> {
			const row = await addReport({
				db,
				vault,
				profileKey: await currentKey(profileId),
				profileId,
				file,
				replacing
			});
			if (row.state === 'queued') {
				worker?.registerSync();
				drain();
			}
			return row;
		},

		async retry(importId: string): Promise<void> {
			if (await retryImport({ db, importId })) {
				worker?.registerSync();
				drain();
			}
		},

		remove: (importId: string) => deleteImport({ db, vault, importId }),

		destroy(): void {
			abort.abort();
			win?.removeEventListener('online', onOnline);
			doc?.removeEventListener('visibilitychange', onVisible);
			stopListening?.();
			worker?.post({ type: IMPORTS_FORGET });
			local?.stop();
		}
	};

	function createLocalDrain() {
		const keys = createHandedKeys();
		const stop = new AbortController();
		let running: Promise<unknown> | null = null;
		let again = false;
		return {
			drain(handed: HandedProfileKey[], cloud: string[]) {
				keys.replace(handed, cloud);
				if (running) {
					again = true;
					return;
				}
				running = (async () => {
					do {
						again = false;
						await drainImports({
							db,
							fetch: (...args) => fetch(...args),
							profileKey: keys.get,
							hasKeys: keys.has,
							processing: keys.processing,
							signal: stop.signal
						});
					} while (again && !stop.signal.aborted);
				})()
					.catch((error) => {
						if (!stop.signal.aborted) onError(error);
					})
					.finally(() => (running = null));
			},
			stop() {
				stop.abort();
				keys.forget();
			}
		};
	}
}

export type ImportsClient = ReturnType<typeof createImportsClient>;
