import type { Sharing } from './create-sharing.ts';

/**
 * The unlocked session's sharing client, for the pages (as syncSession is for sync status).
 * Null while locked or signed out.
 */
class SharingSession {
	client = $state.raw<Sharing | null>(null);

	attach(client: Sharing): void {
		this.client = client;
	}

	detach(): void {
		this.client = null;
	}
}

export const sharingSession = new SharingSession();
