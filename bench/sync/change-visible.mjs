// change_visible_p95_ms: both devices online with the app's own sync triggers running (sync after
// each write, SSE `changes` nudges over GET /v1/events). A saves one record; B has it visible when
// a finished sync run re-reads it decrypted, as the app's pages re-read after a sync. Latency =
// B's "visible" − the moment A's save was called (both pages read one wall clock). The segment
// medians come from the meters: A's push request, B's pull request. A write B does not show
// within 10 s counts as 10 s (and is counted in `timeouts`).
import { randomUUID } from 'node:crypto';
import { median, percentile, round, settle } from './stats.mjs';

const TIMEOUT_MS = 10_000;

/** Up to `samples` writes; past `budgetMs`, stops once it has `minSamples`. */
export async function measureChangeVisible({ a, b, profileId, samples, minSamples, budgetMs }) {
	await Promise.all([a.call('startTriggers'), b.call('startTriggers')]);
	await settle(1500); // the first sync runs and the event streams are up
	const started = performance.now();
	const writes = [];
	for (let i = 0; i < samples; i++) {
		if (i >= minSamples && performance.now() - started > budgetMs) break;
		const id = `visible-${randomUUID()}`;
		await b.call('expect', { profileId, id });
		const { at, savedAt } = await a.call('writeOne', { profileId, id, index: i });
		const seenAt = await b.call('seen', { id, timeoutMs: TIMEOUT_MS });
		writes.push({ at, savedAt, seenAt });
		// Writes arrive at no particular moment of the other device's cycle.
		await settle(150 + Math.random() * 350);
	}
	const [metersA, metersB] = await Promise.all([a.call('readMeters'), b.call('readMeters')]);
	const errors = [...metersA.errors, ...metersB.errors];
	if (errors.length > 0) console.error(`change_visible: sync errors: ${errors.join('; ')}`);

	// A write B never showed counts as the timeout: the percentiles are then lower bounds.
	const latencies = writes.map((w) => (w.seenAt === null ? TIMEOUT_MS : w.seenAt - w.at));
	const segments = writes
		.filter((w) => w.seenAt !== null)
		.map((w) => {
			const push = metersA.requests.find((r) => r.path === '/v1/sync/push' && r.start >= w.at);
			// The pull that brought it: B's last one to finish before it was visible.
			const pull = metersB.requests.findLast(
				(r) => r.path === '/v1/sync/pull' && push && r.end >= push.end && r.end <= w.seenAt
			);
			return push && pull
				? {
						save: w.savedAt - w.at,
						toPush: push.start - w.savedAt,
						push: push.end - push.start,
						toPull: pull.start - push.end,
						pull: pull.end - pull.start,
						applyAndRead: w.seenAt - pull.end
					}
				: undefined;
		})
		.filter(Boolean);
	const segment = (name) => round(median(segments.map((s) => s[name])));
	return {
		p95_ms: round(percentile(latencies, 95)),
		p50_ms: round(median(latencies)),
		max_ms: round(Math.max(...latencies)),
		samples: writes.length,
		timeouts: writes.filter((w) => w.seenAt === null).length,
		save_ms: segment('save'),
		to_push_ms: segment('toPush'),
		push_ms: segment('push'),
		push_to_pull_ms: segment('toPull'),
		pull_ms: segment('pull'),
		apply_and_read_ms: segment('applyAndRead')
	};
}
