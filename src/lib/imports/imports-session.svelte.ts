import type { ImportsClient } from './imports-client.ts';

/**
 * The unlocked session's import queue, for the pages (as notesSession is for notes). Null while
 * locked or signed out: then the worker holds no keys and queued imports wait.
 */
class ImportsSession {
	client = $state.raw<ImportsClient | null>(null);

	attach(client: ImportsClient): void {
		this.client?.destroy();
		this.client = client;
	}

	detach(): void {
		this.client?.destroy();
		this.client = null;
	}
}

export const importsSession = new ImportsSession();
