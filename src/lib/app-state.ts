// The app's one session, wired to the real server, IndexedDB and WebCrypto. Pages import it;
// tests build their own AppSession with other parts.
import { createAccountApi } from './account/account-api.ts';
import { AppSession } from './account/app-session.svelte.ts';
import { createDeviceAccountStore } from './account/device-account-store.ts';
import { openDeviceDb, openUserDb, wipeDeviceData } from './db/index.ts';
import { createImportsClient, serviceWorkerPort } from './imports/imports-client.ts';
import { importsSession } from './imports/imports-session.svelte.ts';
import { notesSession } from './notes/notes-session.svelte.ts';
import { createSharing } from './sharing/index.ts';
import { sharingSession } from './sharing/sharing-session.svelte.ts';
import { syncSession } from './sync-session.svelte.ts';
import { createSyncClient, startSyncTriggers } from './sync/index.ts';
import { createVault, openClock, type Vault } from './vault/index.ts';

export const appSession = new AppSession<Vault>({
	api: createAccountApi(),
	devices: createDeviceAccountStore(openDeviceDb()),
	// Unlocking opens the vault and starts syncing it; locking (vault.close) stops both.
	async openVault(keys) {
		const db = openUserDb(keys.userId);
		const clock = await openClock({ db });
		const vault = createVault({ db, userKeyPair: keys.keyPair, clock });
		const sync = createSyncClient({ db, userKeyPair: keys.keyPair, clock });
		const stopTriggers = startSyncTriggers({ client: sync, db });
		syncSession.attach(sync);
		// After an invite or a removal, sync at once: the new member or key version takes effect.
		sharingSession.attach(
			createSharing({
				db,
				userKeyPair: keys.keyPair,
				onChange: () => void sync.syncNow().catch(() => {})
			})
		);
		// A batch of note edits waits to be pushed: sync now, so the other device sees it within
		// a second (sync-triggers does this for record writes through the outbox hook). Not once
		// locked: a note closing as the page goes still stores its edits, and they wait.
		let locked = false;
		notesSession.attach(async () => {
			const { createNotes } = await import('./notes/create-notes.ts');
			return createNotes({
				db,
				keys: sync.keys,
				onPending: () => {
					if (!locked) void sync.syncNow().catch(() => {});
				}
			});
		});
		// The import queue's worker gets the profile keys its queued imports need, until locked.
		importsSession.attach(
			createImportsClient({
				db,
				userId: keys.userId,
				vault,
				worker:
					'serviceWorker' in navigator ? serviceWorkerPort(navigator.serviceWorker) : undefined,
				onError: (error) => console.error('imports', error)
			})
		);
		void sync.syncNow().catch(() => {});
		const closeVault = vault.close.bind(vault);
		vault.close = () => {
			locked = true;
			stopTriggers();
			sync.destroy();
			syncSession.detach();
			sharingSession.detach();
			notesSession.detach();
			importsSession.detach();
			closeVault();
		};
		return vault;
	},
	wipeDevice: wipeDeviceData
});
