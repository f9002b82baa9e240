// What an idle event stream costs below Charta's own code, for sse_kb_per_conn's breakdown: a
// process with only @hono/node-server and two routes. /stream holds the connection the way the
// events route did until 2026-11-24 (hono's streamSSE: a TransformStream that node-server reads
// and pipes to the socket); /raw writes the same bytes straight to Node's ServerResponse
// (RESPONSE_ALREADY_SENT), as the route does now (sync-server/src/sse-sink.ts).
// Same IPC 'memory' report as server-child.mjs.
import { getRequestListener } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { createServer } from 'node:http';

const HEARTBEAT_MS = 20_000;
const app = new Hono();

app.get('/stream', (c) =>
	streamSSE(c, async (stream) => {
		await stream.write(': connected\n\n');
		const heartbeat = setInterval(() => void stream.write(': heartbeat\n\n'), HEARTBEAT_MS);
		await new Promise((resolve) => stream.onAbort(resolve));
		clearInterval(heartbeat);
	})
);

app.get('/raw', (c) => {
	const response = c.env.outgoing;
	response.writeHead(200, {
		'content-type': 'text/event-stream',
		'cache-control': 'no-store'
	});
	response.write(': connected\n\n');
	const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS);
	response.once('close', () => clearInterval(heartbeat));
	return RESPONSE_ALREADY_SENT;
});

process.on('message', (message) => {
	if (message !== 'memory') return;
	globalThis.gc?.();
	process.send?.({ memory: process.memoryUsage() });
});
process.channel?.unref();

const server = createServer(getRequestListener(app.fetch));
server.listen(0, '127.0.0.1', () => {
	process.stdout.write(`Open http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => {
	server.closeAllConnections();
	server.close(() => process.exit(0));
});
