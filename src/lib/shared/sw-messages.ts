// Messages between the page and the service worker, spelled once for both.
import type { CryptoKey } from '../crypto/webcrypto.ts';

export const SKIP_WAITING = 'SKIP_WAITING';

const typeOf = (data: unknown): unknown =>
	typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : undefined;

export function isSkipWaitingMessage(data: unknown): boolean {
	return typeOf(data) === SKIP_WAITING;
}

// The import queue (src/lib/imports). The unlocked page hands the worker the user whose
// database to open and the profile keys its queued imports need, with every drain request:
// a worker the browser stopped and started again has forgotten them. CryptoKeys are
// structured-cloneable, non-extractable ones too, so the key bytes never leave WebCrypto.
export const IMPORTS_DRAIN = 'IMPORTS_DRAIN';
// Locked, signed out or auto-locked: drop the keys; queued imports wait.
export const IMPORTS_FORGET = 'IMPORTS_FORGET';
// The worker woke (Background Sync) without keys: an unlocked page answers with IMPORTS_DRAIN.
export const IMPORTS_KEYS_WANTED = 'IMPORTS_KEYS_WANTED';
// The Background Sync tag the page registers; the worker drains when it fires.
export const IMPORTS_SYNC_TAG = 'charta-imports';

export interface HandedProfileKey {
	profileId: string;
	version: number;
	key: CryptoKey;
}

export interface ImportsDrainMessage {
	type: typeof IMPORTS_DRAIN;
	userId: string;
	keys: HandedProfileKey[];
	// Profiles whose imports may go to the server's cloud provider: consent recorded on this
	// device covers the provider the server has now (src/lib/consent). Others are read locally.
	cloud?: string[];
}

// Looked up on the global: this file also type-checks for the server, whose types lack the DOM.
const isSecretKey = (key: unknown): key is CryptoKey => {
	const KeyClass = (globalThis as { CryptoKey?: abstract new () => object }).CryptoKey;
	return KeyClass !== undefined && key instanceof KeyClass && (key as CryptoKey).type === 'secret';
};

export function isImportsDrainMessage(data: unknown): data is ImportsDrainMessage {
	if (typeOf(data) !== IMPORTS_DRAIN) return false;
	const { userId, keys, cloud } = data as Partial<ImportsDrainMessage>;
	return (
		typeof userId === 'string' &&
		(cloud === undefined ||
			(Array.isArray(cloud) && cloud.every((profileId) => typeof profileId === 'string'))) &&
		Array.isArray(keys) &&
		keys.every(
			(entry) =>
				typeof entry?.profileId === 'string' &&
				Number.isInteger(entry.version) &&
				isSecretKey(entry.key)
		)
	);
}

export const isImportsForgetMessage = (data: unknown) => typeOf(data) === IMPORTS_FORGET;
export const isImportsKeysWantedMessage = (data: unknown) => typeOf(data) === IMPORTS_KEYS_WANTED;
