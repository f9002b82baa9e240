// Exponential backoff with "full jitter" (AWS Architecture Blog, "Exponential Backoff And
// Jitter", 2015): a random delay up to base·2^attempt, capped, so many devices coming back online
// together spread their retries instead of arriving at the server in waves.
export function backoffDelay({
	attempt,
	random,
	baseMs = 1_000,
	maxMs = 5 * 60_000
}: {
	// 0 for the first retry after a failure.
	attempt: number;
	random: () => number;
	baseMs?: number;
	maxMs?: number;
}): number {
	const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
	// Never zero, so a failing server is not retried in a tight loop.
	return Math.max(baseMs / 2, Math.floor(random() * ceiling));
}
