// A full disk reaches us as a DOMException named QuotaExceededError, which Dexie wraps (as its
// own QuotaExceededError, or as an AbortError of the transaction with the DOMException `inner`).
export function isQuotaExceeded(error: unknown, depth = 0): boolean {
	if (depth > 4 || typeof error !== 'object' || error === null) return false;
	const { name, inner, cause, failures } = error as {
		name?: unknown;
		inner?: unknown;
		cause?: unknown;
		failures?: unknown;
	};
	if (name === 'QuotaExceededError') return true;
	const nested = [inner, cause, ...(Array.isArray(failures) ? failures : [])];
	return nested.some((next) => isQuotaExceeded(next, depth + 1));
}

// The device's storage is full: nothing of the change was written. Defined here, beside the
// test for it, so code without the vault (the service worker's import queue) throws the same
// error the pages already explain.
export class StorageFullError extends Error {
	constructor(options?: { cause?: unknown }) {
		super('This device is out of storage space; the change was not saved', options);
		this.name = 'StorageFullError';
	}
}
