import { readSse, type SseMessage } from './read-sse.ts';

// The server refused the stream itself (401 signed out, 4xx): reconnecting would not help.
export class EventStreamError extends Error {
	constructor(readonly status: number) {
		super(`The event stream answered ${status}`);
		this.name = 'EventStreamError';
	}
}

const sleep = (ms: number, signal: AbortSignal) =>
	new Promise<void>((resolve) => {
		const timer = setTimeout(done, ms);
		signal.addEventListener('abort', done, { once: true });
		function done() {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		}
	});

// An EventSource over fetch: reconnects after the stream ends or drops, sending Last-Event-ID so
// the server replays what was missed, waiting `retry` (the server may change it) between tries.
// Ends when `signal` aborts; throws EventStreamError for a 4xx answer.
export async function* streamEvents({
	url,
	fetch = globalThis.fetch,
	signal,
	lastEventId = '',
	retryMs = 3_000,
	onOpen
}: {
	url: string;
	fetch?: typeof globalThis.fetch;
	signal: AbortSignal;
	lastEventId?: string;
	retryMs?: number;
	onOpen?: () => void;
}): AsyncGenerator<SseMessage, void, undefined> {
	let id = lastEventId;
	let retry = retryMs;
	while (!signal.aborted) {
		try {
			const headers = new Headers({ accept: 'text/event-stream' });
			if (id) headers.set('last-event-id', id);
			const response = await fetch(url, {
				headers,
				signal,
				credentials: 'same-origin',
				cache: 'no-store'
			});
			if (response.status === 400 && id) {
				// An id this server never handed out (another deployment): start afresh.
				await response.body?.cancel();
				id = '';
				continue;
			}
			if (response.status >= 400 && response.status < 500 && response.status !== 429) {
				await response.body?.cancel();
				throw new EventStreamError(response.status);
			}
			if (response.ok && response.body) {
				onOpen?.();
				for await (const message of readSse(response.body, {
					lastEventId: id,
					onRetry: (ms) => (retry = ms)
				})) {
					id = message.id;
					yield message;
				}
			} else {
				await response.body?.cancel();
			}
		} catch (error) {
			if (error instanceof EventStreamError) throw error;
			if (signal.aborted) return;
			// A dropped connection: try again after `retry`.
		}
		await sleep(retry, signal);
	}
}
