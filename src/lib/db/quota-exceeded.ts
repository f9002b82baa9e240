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
