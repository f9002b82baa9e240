import { formatEvent, type SseSink } from '../sse-sink.ts';
import type { ImportJob, SealedEvent } from './import-jobs.ts';

/**
 * One client's view of a job: the kept events after `after` (its Last-Event-ID), then live ones,
 * and the stream ends after `done`. Ids only grow and each is sent once, so a reconnect with the
 * last id seen neither loses nor repeats an event. Closing the stream leaves the job running.
 */
export function streamJobEvents({
	job,
	after,
	heartbeatMs,
	sink
}: {
	job: ImportJob;
	after: number;
	heartbeatMs: number;
	sink: SseSink;
}) {
	let sent = after;
	const send = (event: SealedEvent) => {
		if (event.id <= sent) return;
		sent = event.id;
		sink.write(formatEvent({ event: event.event, id: String(event.id), data: event.data }));
	};

	sink.write(': connected\n\n');
	for (const event of job.events) send(event);
	// Replay and subscribe in one turn: no event can be appended in between.
	const unsubscribe = job.subscribe({ onEvent: send, onEnd: () => sink.close() });
	const heartbeat = setInterval(() => sink.write(': heartbeat\n\n'), heartbeatMs);
	sink.onClose(() => {
		clearInterval(heartbeat);
		unsubscribe();
	});
}
