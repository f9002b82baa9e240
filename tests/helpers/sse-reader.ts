/** One server-sent event as a client sees it; comments are kept so tests can see heartbeats. */
export interface SseFrame {
	event?: string;
	id?: string;
	data?: string;
	comment?: string;
}

/**
 * Reads an event stream frame by frame. `next` waits (bounded) for a frame that matches; frames
 * read meanwhile are kept in `frames`.
 */
export function readSse(body: ReadableStream<Uint8Array>) {
	const reader = body.getReader();
	const decoder = new TextDecoder();
	const frames: SseFrame[] = [];
	let buffer = '';
	let consumed = 0;
	let done = false;

	async function readFrame(): Promise<SseFrame | undefined> {
		for (;;) {
			const end = buffer.indexOf('\n\n');
			if (end >= 0) {
				const block = buffer.slice(0, end);
				buffer = buffer.slice(end + 2);
				const frame: SseFrame = {};
				for (const line of block.split('\n')) {
					if (line.startsWith(':')) frame.comment = line.slice(1).trim();
					else {
						const colon = line.indexOf(':');
						const field = line.slice(0, colon) as 'event' | 'id' | 'data';
						const value = line.slice(colon + 1).replace(/^ /, '');
						frame[field] = field === 'data' && frame.data ? `${frame.data}\n${value}` : value;
					}
				}
				frames.push(frame);
				return frame;
			}
			if (done) return undefined;
			const chunk = await reader.read();
			if (chunk.done) done = true;
			else buffer += decoder.decode(chunk.value, { stream: true });
		}
	}

	return {
		frames,
		/** The next frame (after those already returned by `next`) that matches. */
		async next(matches: (frame: SseFrame) => boolean, timeoutMs = 5_000): Promise<SseFrame> {
			let timer: NodeJS.Timeout | undefined;
			const timeout = new Promise<never>((_, reject) => {
				timer = setTimeout(
					() =>
						reject(
							new Error(`No matching SSE frame in ${timeoutMs} ms: ${JSON.stringify(frames)}`)
						),
					timeoutMs
				);
			});
			try {
				for (;;) {
					while (consumed < frames.length) {
						const frame = frames[consumed++]!;
						if (matches(frame)) return frame;
					}
					const frame = await Promise.race([readFrame(), timeout]);
					if (!frame) throw new Error(`The stream ended: ${JSON.stringify(frames)}`);
				}
			} finally {
				clearTimeout(timer);
			}
		},
		/** Resolves when the server ends the stream. */
		async ended(timeoutMs = 5_000): Promise<void> {
			const deadline = Date.now() + timeoutMs;
			while (!done) {
				if (Date.now() > deadline) throw new Error('The stream did not end');
				await Promise.race([readFrame(), new Promise((r) => setTimeout(r, deadline - Date.now()))]);
			}
		},
		close: () => reader.cancel().catch(() => {})
	};
}
