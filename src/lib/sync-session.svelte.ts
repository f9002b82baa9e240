import type { SyncClient, SyncStatus } from './sync/index.ts';

/**
 * The sync status the header shows, following whichever sync client the unlocked session runs.
 * Null while locked or signed out: there is nothing of this person's to sync then.
 */
class SyncSession {
	status = $state<SyncStatus | null>(null);
	#client: SyncClient | null = null;
	#unsubscribe: (() => void) | null = null;

	attach(client: SyncClient): void {
		this.detach();
		this.#client = client;
		this.#unsubscribe = client.subscribe((status) => (this.status = { ...status }));
	}

	detach(): void {
		this.#unsubscribe?.();
		this.#unsubscribe = null;
		this.#client = null;
		this.status = null;
	}

	/** "Retry": send rejected changes again and sync now. */
	retry(): void {
		void this.#client?.retryRejected().catch(() => {});
	}
}

export const syncSession = new SyncSession();
