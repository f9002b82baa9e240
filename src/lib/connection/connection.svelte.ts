import { describeConnection, type ServerReach } from './describe-connection.ts';
import { probeHealth } from './probe-health.ts';

const PROBE_EVERY_MS = 30_000;

/**
 * Follows navigator.onLine and the server's /v1/health. Probes at start, when the browser comes
 * back online, when the page becomes visible again, and every 30 s while visible.
 */
export class Connection {
	browserOnline = $state(true);
	server = $state<ServerReach>('unknown');
	/** When the last probe answered, in ms since the epoch. */
	checkedAt = $state<number | null>(null);
	view = $derived(describeConnection(this.browserOnline, this.server));

	#probing: Promise<void> | null = null;
	readonly #probe: () => Promise<ServerReach>;

	constructor(probe: () => Promise<ServerReach> = () => probeHealth()) {
		this.#probe = probe;
	}

	check(): Promise<void> {
		this.#probing ??= this.#probe()
			.then((reach) => {
				this.server = reach;
				this.checkedAt = Date.now();
			})
			.finally(() => {
				this.#probing = null;
			});
		return this.#probing;
	}

	/** Starts listening; returns the function that stops every listener and timer it started. */
	start(): () => void {
		this.browserOnline = navigator.onLine;
		const online = () => {
			this.browserOnline = true;
			this.server = 'unknown';
			void this.check();
		};
		const offline = () => {
			this.browserOnline = false;
		};
		const visible = () => {
			if (document.visibilityState === 'visible') void this.check();
		};
		window.addEventListener('online', online);
		window.addEventListener('offline', offline);
		document.addEventListener('visibilitychange', visible);
		const timer = setInterval(() => {
			if (document.visibilityState === 'visible' && navigator.onLine) void this.check();
		}, PROBE_EVERY_MS);
		if (this.browserOnline) void this.check();
		return () => {
			window.removeEventListener('online', online);
			window.removeEventListener('offline', offline);
			document.removeEventListener('visibilitychange', visible);
			clearInterval(timer);
		};
	}
}
