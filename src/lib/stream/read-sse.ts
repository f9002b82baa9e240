// Reads a text/event-stream body as the HTML standard's EventSource does ("Server-sent events",
// §9.2.6 interpreting an event stream): lines end in CRLF, LF or CR; `:` starts a comment; a
// blank line dispatches; `data` lines join with "\n"; an `id` with NUL is ignored; the last
// event id carries over to later events; an event without data is not dispatched; an event cut
// off by the end of the stream is dropped.
export interface SseMessage {
	event: string;
	data: string;
	// The stream's last event id when this event was dispatched (what Last-Event-ID resends).
	id: string;
}

export async function* readSse(
	body: ReadableStream<Uint8Array>,
	{ lastEventId = '', onRetry }: { lastEventId?: string; onRetry?: (ms: number) => void } = {}
): AsyncGenerator<SseMessage, void, undefined> {
	const reader = body.getReader();
	const decoder = new TextDecoder('utf-8', { ignoreBOM: false });
	let buffer = '';
	let data: string[] = [];
	let event = '';
	let id = lastEventId;

	function* lines(final: boolean): Generator<string> {
		for (;;) {
			const end = buffer.search(/[\r\n]/);
			if (end < 0) break;
			// A CR at the end of what has arrived may be the first half of a CRLF.
			if (buffer[end] === '\r' && end === buffer.length - 1 && !final) break;
			const line = buffer.slice(0, end);
			buffer = buffer.slice(buffer.startsWith('\r\n', end) ? end + 2 : end + 1);
			yield line;
		}
	}

	function take(line: string): SseMessage | undefined {
		if (line === '') {
			const message =
				data.length > 0 ? { event: event || 'message', data: data.join('\n'), id } : undefined;
			data = [];
			event = '';
			return message;
		}
		if (line.startsWith(':')) return undefined;
		const colon = line.indexOf(':');
		const field = colon < 0 ? line : line.slice(0, colon);
		let value = colon < 0 ? '' : line.slice(colon + 1);
		if (value.startsWith(' ')) value = value.slice(1);
		if (field === 'event') event = value;
		else if (field === 'data') data.push(value);
		else if (field === 'id' && !value.includes('\0')) id = value;
		else if (field === 'retry' && /^\d+$/.test(value)) onRetry?.(Number(value));
		return undefined;
	}

	try {
		for (;;) {
			const chunk = await reader.read();
			buffer += chunk.done ? decoder.decode() : decoder.decode(chunk.value, { stream: true });
			for (const line of lines(chunk.done)) {
				const message = take(line);
				if (message) yield message;
			}
			if (chunk.done) return;
		}
	} finally {
		// Whoever stops iterating (break, return, an error) also closes the connection.
		await reader.cancel().catch(() => {});
	}
}
