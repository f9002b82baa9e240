import type { Context } from 'hono';
import { invalidRequest } from '../invalid-request.ts';
import { rawResponses } from '../raw-response.ts';
import { formatEvent, nodeSink, webSink, type SseSink } from '../sse-sink.ts';
import type { Job, SealedEvent } from './job-store.ts';

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
	job: Job;
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

const STREAM_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

/**
 * GET …/:id/events for any job: the caller's Last-Event-ID checked, then the stream over Node's
 * response when the app runs behind apiListener, or a web stream otherwise.
 */
export function serveJobEvents(c: Context, job: Job, heartbeatMs: number): Response {
	const lastEventId = c.req.header('last-event-id');
	if (lastEventId !== undefined && !/^\d{1,9}$/.test(lastEventId)) {
		throw invalidRequest([
			{ path: ['headers', 'last-event-id'], message: 'must be an event id this stream sent' }
		]);
	}
	const after = lastEventId === undefined ? 0 : Number(lastEventId);
	const raw = rawResponses(c);
	if (raw) {
		return raw.claim({
			headers: STREAM_HEADERS,
			start: (response) => streamJobEvents({ job, after, heartbeatMs, sink: nodeSink(response) }),
			cancel: () => {}
		});
	}
	const { sink, body } = webSink();
	streamJobEvents({ job, after, heartbeatMs, sink });
	return c.body(body, 200, STREAM_HEADERS);
}
