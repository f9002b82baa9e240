// When local edits become one sync payload: after `quietMs` without a new update, or at once when
// `maxUpdates` have gathered, so a clinician typing steadily still sends every couple of seconds
// and a pause sends within a quarter second. Timing only; what a batch is belongs to the caller.
export interface NoteBatcher {
	// Counts `updates` more Yjs updates towards the batch.
	note(updates?: number): void;
	// Whether updates wait for a batch.
	readonly pending: boolean;
	// Ends the wait now (on blur, pagehide, or before a push).
	flush(): void;
	cancel(): void;
}

export const BATCH_QUIET_MS = 250;
export const BATCH_MAX_UPDATES = 50;

export function createNoteBatcher({
	onBatch,
	quietMs = BATCH_QUIET_MS,
	maxUpdates = BATCH_MAX_UPDATES
}: {
	onBatch: () => void;
	quietMs?: number;
	maxUpdates?: number;
}): NoteBatcher {
	let count = 0;
	let timer: ReturnType<typeof setTimeout> | undefined;

	function stop(): void {
		if (timer !== undefined) clearTimeout(timer);
		timer = undefined;
	}

	function fire(): void {
		stop();
		if (count === 0) return;
		count = 0;
		onBatch();
	}

	return {
		note(updates = 1) {
			count += updates;
			if (count >= maxUpdates) return fire();
			stop();
			timer = setTimeout(fire, quietMs);
		},
		get pending() {
			return count > 0;
		},
		flush: fire,
		cancel() {
			stop();
			count = 0;
		}
	};
}
