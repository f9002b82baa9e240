import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { isApiPath } from '../../src/lib/shared/paths.ts';
import type { App } from './app.ts';
import type { PageHandler } from './page-handler.ts';

/** One port: /v1 goes to the API, everything else to the built app. */
export function createHttpServer({ app, pages }: { app: App; pages: PageHandler }): Server {
	const api = getRequestListener(app.fetch);
	return createServer((req, res) => {
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
}

/**
 * Stops accepting connections, lets in-flight requests finish, and after `timeoutMs` cuts what is
 * left (long-lived streams). Resolves when the server has closed.
 */
export function closeGracefully(server: Server, timeoutMs: number): Promise<void> {
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
