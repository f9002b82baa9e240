import { Workbox } from 'workbox-window';

const CHECK_EVERY_MS = 60 * 60 * 1000;

/**
 * Registers the service worker with workbox-window and tells the page when a new version waits.
 * Never reloads by itself: the person presses Reload (applyUpdate) when it suits them.
 */
export class AppUpdate {
	ready = $state(false);
	applying = $state(false);
	error = $state<string | null>(null);

	#workbox: Workbox | null = null;

	/** Returns the function that removes every listener and timer it added. */
	start(scriptUrl = '/sw.js'): () => void {
		if (!('serviceWorker' in navigator)) return () => {};
		const workbox = new Workbox(scriptUrl, { scope: '/' });
		this.#workbox = workbox;
		const waiting = () => {
			this.ready = true;
		};
		const check = () => {
			if (document.visibilityState === 'visible' && navigator.onLine) {
				void workbox.update().catch(() => {});
			}
		};
		workbox.addEventListener('waiting', waiting);
		document.addEventListener('visibilitychange', check);
		const timer = setInterval(check, CHECK_EVERY_MS);
		workbox.register().catch((error: unknown) => {
			this.error = error instanceof Error ? error.message : String(error);
		});
		return () => {
			workbox.removeEventListener('waiting', waiting);
			document.removeEventListener('visibilitychange', check);
			clearInterval(timer);
		};
	}

	/** Activates the waiting version, then reloads once it controls the page. */
	applyUpdate(): void {
		const workbox = this.#workbox;
		if (!workbox || this.applying) return;
		this.applying = true;
		workbox.addEventListener('controlling', () => window.location.reload());
		workbox.messageSkipWaiting();
	}
}
