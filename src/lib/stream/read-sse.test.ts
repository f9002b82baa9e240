import { describe, expect, it } from 'vitest';
import { readSse, type SseMessage } from './read-sse.ts';

function body(chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	return new ReadableStream({
		start(controller) {
			for (const chunk of chunks) {
				controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
			}
			controller.close();
		}
	});
}

async function all(chunks: (string | Uint8Array)[], options?: Parameters<typeof readSse>[1]) {
	const messages: SseMessage[] = [];
	for await (const message of readSse(body(chunks), options)) messages.push(message);
	return messages;
}

describe('readSse', () => {
	it('reads named events with ids, skipping comments and heartbeats', async () => {
		expect(
			await all([
				': connected\n\n',
				'event: changes\nid: c1\ndata: {"seq":1}\n\n',
				': heartbeat\n\n',
				'data: plain\n\n'
			])
		).toEqual([
			{ event: 'changes', data: '{"seq":1}', id: 'c1' },
			// The last event id carries over to events without one.
			{ event: 'message', data: 'plain', id: 'c1' }
		]);
	});

	it('joins data lines and accepts CRLF, CR and LF line ends, also split across chunks', async () => {
		expect(await all(['data: a\r', '\ndata: b\rdata:c\n', '\r\n'])).toEqual([
			{ event: 'message', data: 'a\nb\nc', id: '' }
		]);
	});

	it('decodes UTF-8 split inside a character and drops a leading BOM', async () => {
		const bytes = new TextEncoder().encode('\uFEFFdata: caf\u00e9\n\n');
		expect(await all([bytes.slice(0, 10), bytes.slice(10)])).toEqual([
			{ event: 'message', data: 'café', id: '' }
		]);
	});

	it('follows the standard on odd fields', async () => {
		let retry = 0;
		const messages = await all(
			[
				'data\n\n', // a field with no colon: data is the empty string, dispatched
				'event: skipped\n\n', // no data: not dispatched, and the type resets
				'id: a\0b\ndata:  two spaces\n\n', // an id with NUL is ignored; one space is stripped
				'retry: 1500\nretry: soon\nunknown: x\ndata: last\n\n',
				'data: cut off without a blank line\n'
			],
			{ lastEventId: 'resumed', onRetry: (ms) => (retry = ms) }
		);
		expect(messages).toEqual([
			{ event: 'message', data: '', id: 'resumed' },
			{ event: 'message', data: ' two spaces', id: 'resumed' },
			{ event: 'message', data: 'last', id: 'resumed' }
		]);
		expect(retry).toBe(1500);
	});

	it('cancels the stream when the reader stops early', async () => {
		let cancelled = false;
		const stream = new ReadableStream<Uint8Array>({
			pull(controller) {
				controller.enqueue(new TextEncoder().encode('data: x\n\n'));
			},
			cancel() {
				cancelled = true;
			}
		});
		for await (const message of readSse(stream)) {
			expect(message.data).toBe('x');
			break;
		}
		expect(cancelled).toBe(true);
	});
});
