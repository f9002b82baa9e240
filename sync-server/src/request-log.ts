import type { MiddlewareHandler } from 'hono';
import type { Logger } from './logger.ts';

// One line per request: method, path without its query, status, duration. Nothing from the
// body, the query string or the headers, which may carry health data or credentials.
export function requestLog(logger: Logger): MiddlewareHandler {
	return async (c, next) => {
		const started = performance.now();
		await next();
		logger.info(
			{
				method: c.req.method,
				path: c.req.path,
				status: c.res.status,
				ms: Math.round(performance.now() - started)
			},
			'request'
		);
	};
}
