import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { Health } from '../../../src/lib/shared/health.ts';
import type { Store } from '../store/store.ts';

const route = createRoute({
	method: 'get',
	path: '/health',
	summary: 'Is the server up, and can it reach its database?',
	responses: {
		200: { description: 'Serving', content: { 'application/json': { schema: Health } } },
		503: {
			description: 'Running, but the database does not answer',
			content: { 'application/json': { schema: Health } }
		}
	}
});

export function healthRoutes({ store, version }: { store: Store; version: string }) {
	return new OpenAPIHono().openapi(route, async (c) => {
		const ok = await store.ping();
		const body: Health = {
			status: ok ? 'ok' : 'degraded',
			version,
			database: { kind: store.kind, ok }
		};
		return ok ? c.json(body, 200) : c.json(body, 503);
	});
}
