import type { ServerResponse } from 'node:http';

/** Where an event stream's text goes: Node's response itself, or a web ReadableStream. */
export interface SseSink {
	/** Queues `text` in order; after close() it is dropped. */
	write(text: string): void;
	/** Ends the stream from our side. */
	close(): void;
	/** Runs once when the stream ends, whichever side ended it. */
	onClose(listener: () => void): void;
}

/** One event, as hono's streamSSE writes it: no newline may hide in `event` or `id`. */
export function formatEvent({ event, id, data }: { event: string; id?: string; data: string }) {
	if (/[\r\n]/.test(event) || (id !== undefined && /[\r\n]/.test(id))) {
		throw new Error('An SSE event name or id must not contain a line break.');
	}
	const lines = data.split(/\r\n|\r|\n/).map((line) => `data: ${line}\n`);
	return `event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}${lines.join('')}\n`;
}

// A reader this far behind is gone or stuck: end its stream, and EventSource reconnects with
// Last-Event-ID and is told what it missed, rather than the server buffering for it.
const MAX_BUFFERED_BYTES = 256 * 1024;

/**
 * Writes straight to Node's ServerResponse (headers already written). hono's streamSSE, a
 * TransformStream read by @hono/node-server and piped to the socket, held ≈ 23 KB per idle
 * stream; this holds what Node's response holds anyway (bench/sync sse_floor_*).
 */
export function nodeSink(response: ServerResponse): SseSink {
	let closed = false;
	const listeners: (() => void)[] = [];
	const finish = () => {
		if (closed) return;
		closed = true;
		for (const listener of listeners.splice(0)) listener();
	};
	// The client may have left while the stream was being set up.
	if (response.closed || response.destroyed) finish();
	else response.once('close', finish);
	return {
		write(text) {
			if (closed) return;
			response.write(text);
			if (response.writableLength > MAX_BUFFERED_BYTES) response.destroy();
		},
		close() {
			if (!closed) response.end();
		},
		onClose(listener) {
			if (closed) listener();
			else listeners.push(listener);
		}
	};
}

/** A ReadableStream for responses built the web way (Hono's app.request, other runtimes). */
export function webSink(): { sink: SseSink; body: ReadableStream<Uint8Array> } {
	const encoder = new TextEncoder();
	let controller!: ReadableStreamDefaultController<Uint8Array>;
	let closed = false;
	const listeners: (() => void)[] = [];
	const finish = () => {
		if (closed) return;
		closed = true;
		for (const listener of listeners.splice(0)) listener();
	};
	const body = new ReadableStream<Uint8Array>(
		{ start: (c) => void (controller = c), cancel: finish },
		{ highWaterMark: 0, size: (chunk) => chunk.byteLength }
	);
	return {
		body,
		sink: {
			write(text) {
				if (closed) return;
				controller.enqueue(encoder.encode(text));
				if ((controller.desiredSize ?? 0) < -MAX_BUFFERED_BYTES) {
					controller.error(new Error('The event stream reader fell too far behind.'));
					finish();
				}
			},
			close() {
				if (closed) return;
				controller.close();
				finish();
			},
			onClose(listener) {
				if (closed) listener();
				else listeners.push(listener);
			}
		}
	};
}
