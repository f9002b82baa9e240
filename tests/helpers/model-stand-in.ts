import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A local HTTP server standing in for a hosted model API (OpenAI, Gemini) in tests: nothing
// leaves the machine. It records every request and answers each with the next scripted reply.
export type RecordedRequest = {
	method: string;
	url: string;
	headers: IncomingHttpHeaders;
	body: string;
	// Resolves when the client closes the connection or the reply ends, whichever is first.
	closed: Promise<void>;
};
export type Reply = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

export async function startModelStandIn() {
	const requests: RecordedRequest[] = [];
	const replies: Reply[] = [];
	const server = createServer((incoming, response) => {
		const chunks: Buffer[] = [];
		incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
		incoming.on('end', () => {
			const request: RecordedRequest = {
				method: incoming.method ?? '',
				url: incoming.url ?? '',
				headers: incoming.headers,
				body: Buffer.concat(chunks).toString('utf8'),
				closed: new Promise((resolve) => response.on('close', () => resolve()))
			};
			requests.push(request);
			const reply = replies.shift();
			if (!reply) {
				response.writeHead(599, { 'content-type': 'text/plain' }).end('no reply scripted');
				return;
			}
			void Promise.resolve(reply(request, response)).catch(() => response.destroy());
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		origin: `http://127.0.0.1:${port}`,
		requests,
		reply(...next: Reply[]) {
			replies.push(...next);
		},
		close() {
			server.closeAllConnections();
			return new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
	return (_request, response) => {
		response.writeHead(status, { 'content-type': 'application/json', ...headers });
		response.end(typeof body === 'string' ? body : JSON.stringify(body));
	};
}

// Server-sent events: each entry is written as one `data:` event. `hold` leaves the response
// open after the last event, as a model still thinking would.
export function sse(events: string[], { hold = false }: { hold?: boolean } = {}): Reply {
	return (_request, response) => {
		response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
		for (const event of events) response.write(`data: ${event}\n\n`);
		if (!hold) response.end();
	};
}
