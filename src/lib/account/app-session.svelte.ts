import { requestPersistence } from '../device/storage-persistence.ts';
import type { SessionResponse } from '../shared/auth.ts';
import type { AccountApi } from './account-api.ts';
import {
	changePassword,
	recoverAccount,
	signIn,
	signUp,
	unlock,
	type SignedIn
} from './account-flows.ts';
import { DEFAULT_AUTO_LOCK_MINUTES, startAutoLock } from './auto-lock.ts';
import type { DeviceAccountStore, UnlockedKeys } from './device-account.ts';

export type SessionStatus = 'starting' | 'signed-out' | 'locked' | 'unlocked';

const AUTO_LOCK_KEY = 'charta.autoLockMinutes';

export interface AppSessionDeps<V extends { close(): void }> {
	api: AccountApi;
	devices: DeviceAccountStore;
	/** Opens the encrypted record store for the unlocked keys. */
	openVault: (keys: UnlockedKeys) => Promise<V>;
	/** Wipes every Charta database on this device. */
	wipeDevice: () => Promise<void>;
}

/**
 * Who is here and whether the keys are in memory. Keys and the vault exist only while unlocked;
 * locking drops them, and a reload always starts locked.
 */
export class AppSession<V extends { close(): void }> {
	status = $state<SessionStatus>('starting');
	userId = $state<string | null>(null);
	email = $state<string | null>(null);
	autoLockMinutes = $state(DEFAULT_AUTO_LOCK_MINUTES);
	/** CryptoKeys must not be proxied: raw state. */
	vault = $state.raw<V | null>(null);

	#deps: AppSessionDeps<V>;
	#stopAutoLock: (() => void) | null = null;

	constructor(deps: AppSessionDeps<V>) {
		this.#deps = deps;
	}

	async start(): Promise<void> {
		const stored = Number(localStorage.getItem(AUTO_LOCK_KEY));
		if (Number.isFinite(stored) && stored > 0) this.autoLockMinutes = stored;
		const account = await this.#deps.devices.latest();
		this.userId = account?.userId ?? null;
		this.status = account ? 'locked' : 'signed-out';
	}

	setAutoLockMinutes(minutes: number): void {
		this.autoLockMinutes = minutes;
		localStorage.setItem(AUTO_LOCK_KEY, String(minutes));
	}

	async signUp(input: { email: string; password: string; rememberDevice: boolean }) {
		const result = await signUp(this.#deps, input);
		await this.#enter(result);
		return result.recoveryKey;
	}

	async signIn(input: { email: string; password: string; rememberDevice: boolean }) {
		await this.#enter(await signIn(this.#deps, input));
	}

	async recover(input: {
		email: string;
		recoveryKey: string;
		newPassword: string;
		rememberDevice: boolean;
	}) {
		await this.#enter(await recoverAccount(this.#deps, input));
	}

	async unlock(password: string): Promise<void> {
		const keys = await unlock(this.#deps, { userId: this.userId ?? undefined, password });
		await this.#open(keys);
	}

	async changePassword(currentPassword: string, newPassword: string): Promise<void> {
		if (!this.userId) throw new Error('Unlock Charta first.');
		const session = await changePassword(this.#deps, {
			userId: this.userId,
			currentPassword,
			newPassword
		});
		this.#remember(session);
	}

	/** Keys out of memory; the data stays encrypted on the device. */
	lock(): void {
		this.#stopAutoLock?.();
		this.#stopAutoLock = null;
		this.vault?.close();
		this.vault = null;
		if (this.status === 'unlocked') this.status = 'locked';
	}

	/** Ends the session on the server (when reachable) and forgets this device's keys. */
	async signOut(): Promise<void> {
		const userId = this.userId;
		this.lock();
		await this.#deps.api.logout().catch(() => {});
		if (userId) await this.#deps.devices.delete(userId);
		this.userId = null;
		this.email = null;
		this.status = 'signed-out';
	}

	/** "Remove this device's data": every Charta database on this origin, after confirmation. */
	async removeDeviceData(): Promise<void> {
		this.lock();
		await this.#deps.api.logout().catch(() => {});
		await this.#deps.wipeDevice();
		localStorage.removeItem(AUTO_LOCK_KEY);
		this.userId = null;
		this.email = null;
		this.status = 'signed-out';
	}

	/** Online: who the server says is signed in (the email is never stored on the device). */
	async refreshEmail(): Promise<void> {
		const session = await this.#deps.api.session().catch(() => null);
		if (session && session.user.id === this.userId) this.email = session.user.email;
	}

	async #enter({ session, keys }: SignedIn) {
		this.#remember(session);
		await this.#open(keys);
		// Ask once signed in, when the browser can tie the request to a real user action.
		void requestPersistence().catch(() => {});
	}

	#remember(session: SessionResponse) {
		this.userId = session.user.id;
		this.email = session.user.email;
	}

	async #open(keys: UnlockedKeys) {
		this.vault?.close();
		this.vault = await this.#deps.openVault(keys);
		this.userId = keys.userId;
		this.status = 'unlocked';
		this.#stopAutoLock?.();
		this.#stopAutoLock = startAutoLock({
			minutes: () => this.autoLockMinutes,
			onLock: () => this.lock()
		});
	}
}
