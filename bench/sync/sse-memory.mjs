// sse_kb_per_conn: what an idle GET /v1/events stream costs the server process. Opens `count`
// authenticated streams over raw sockets (each waits for the server's ": connected"), reads the
// server's memory after a full GC before and after, and again once they are all closed (the
// change feed must let go of every one).
import { connect } from 'node:net';

function openStream({ hostname, port, cookie, path }) {
	return new Promise((resolve, reject) => {
		const socket = connect({ host: hostname, port: Number(port) });
		let head = '';
		const onData = (chunk) => {
			head += chunk;
			if (!head.startsWith('HTTP/1.1 200') && head.includes('\r\n\r\n')) {
				socket.destroy();
				reject(new Error(`${path} answered: ${head.split('\r\n', 1)[0]}`));
			} else if (head.includes(': connected')) {
				// From here on heartbeats arrive every 20 s; read and drop them, as a browser does.
				socket.off('data', onData);
				socket.on('data', () => {});
				resolve(socket);
			}
		};
		socket.setEncoding('utf8');
		socket.on('data', onData);
		socket.once('error', reject);
		socket.write(
			`GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nCookie: ${cookie}\r\n` +
				'Accept: text/event-stream\r\nCache-Control: no-store\r\n\r\n'
		);
	});
}

async function openStreams({ count, concurrency, ...target }) {
	const sockets = [];
	let next = 0;
	const worker = async () => {
		while (next < count) {
			next++;
			sockets.push(await openStream(target));
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	return sockets;
}

async function closeStreams(sockets) {
	await Promise.all(
		sockets.map(
			(socket) =>
				new Promise((resolve) => {
					socket.once('close', resolve);
					socket.destroy();
				})
		)
	);
}

const settle = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function measureSseMemory({
	server,
	cookie = '',
	path = '/v1/events',
	count,
	concurrency = 50
}) {
	const { hostname, port } = new URL(server.url);
	const target = { hostname, port, cookie, path };
	// Warm-up: the route's code paths compiled, pools and buffers grown, before the baseline.
	await closeStreams(await openStreams({ ...target, count: 200, concurrency }));
	await settle(1000);
	const before = await server.memory();

	const started = performance.now();
	const sockets = await openStreams({ ...target, count, concurrency });
	const openMs = performance.now() - started;
	await settle(2000);
	const open = await server.memory();

	await closeStreams(sockets);
	await settle(2000);
	const closed = await server.memory();

	const perConnection = (key, at) => (at[key] - before[key]) / count / 1024;
	return {
		openMs,
		rssKb: perConnection('rss', open),
		heapKb: perConnection('heapUsed', open),
		externalKb: perConnection('external', open),
		afterCloseRssKb: perConnection('rss', closed),
		afterCloseHeapKb: perConnection('heapUsed', closed),
		before,
		open
	};
}
