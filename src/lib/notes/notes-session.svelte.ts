import type { Notes } from './create-notes.ts';

/**
 * The unlocked session's notes, for the pages (as sharingSession is for sharing). Null while
 * locked or signed out, and for the moment after unlocking while the notes code (with Yjs, kept
 * out of the first screen's scripts) loads; pages read `client` in an effect and run again once
 * it is there.
 */
class NotesSession {
	client = $state.raw<Notes | null>(null);
	#attached = 0;

	attach(load: () => Promise<Notes>, report: (error: unknown) => void = console.error): void {
		const attachment = ++this.#attached;
		this.client = null;
		load().then((client) => {
			if (attachment === this.#attached) this.client = client;
		}, report);
	}

	detach(): void {
		this.#attached++;
		this.client = null;
	}
}

export const notesSession = new NotesSession();
