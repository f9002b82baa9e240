// The app's one session, wired to the real server, IndexedDB and WebCrypto. Pages import it;
// tests build their own AppSession with other parts.
import { createAccountApi } from './account/account-api.ts';
import { AppSession } from './account/app-session.svelte.ts';
import { createDeviceAccountStore } from './account/device-account-store.ts';
import { openDeviceDb, openUserDb, wipeDeviceData } from './db/index.ts';
import { createVault, openClock, type Vault } from './vault/index.ts';

export const appSession = new AppSession<Vault>({
	api: createAccountApi(),
	devices: createDeviceAccountStore(openDeviceDb()),
	async openVault(keys) {
		const db = openUserDb(keys.userId);
		return createVault({ db, userKeyPair: keys.keyPair, clock: await openClock({ db }) });
	},
	wipeDevice: wipeDeviceData
});
