import { createServer, type ServerResponse } from 'node:http';
import { isApiPath } from '../../src/lib/shared/paths.ts';
import type { App } from './app.ts';
import type { PageHandler } from './page-handler.ts';
import { apiListener } from './raw-response.ts';

export interface HttpServer {
	server: ReturnType<typeof createServer>;
	/**
	 * Stops accepting connections, lets requests in flight finish (then closes their connections
	 * instead of keeping them alive), and after `timeoutMs` cuts whatever is left.
	 */
	close(timeoutMs: number): Promise<void>;
}

/** One port: /v1 goes to the API, everything else to the built app. */
export function createHttpServer({ app, pages }: { app: App; pages: PageHandler }): HttpServer {
	const api = apiListener((request, env) => app.fetch(request, env));
	const inFlight = new Set<ServerResponse>();
	let closing = false;

	const server = createServer((req, res) => {
		inFlight.add(res);
		res.once('close', () => inFlight.delete(res));
		if (closing) res.shouldKeepAlive = false;
		const pathname = (req.url ?? '/').split('?', 1)[0] ?? '/';
		if (isApiPath(pathname)) {
			void api(req, res);
			return;
		}
		pages(req, res, () => {
			res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
			res.end('Not found\n');
		});
	});

	return {
		server,
		close(timeoutMs) {
			closing = true;
			for (const res of inFlight) {
				if (!res.headersSent) res.shouldKeepAlive = false;
				else res.once('finish', () => res.socket?.end());
			}
			return new Promise((resolve) => {
				const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
				timer.unref();
				server.close(() => {
					clearTimeout(timer);
					resolve();
				});
				server.closeIdleConnections();
			});
		}
	};
}
