// The floor for push_rps_ratio: a bare Hono route on @hono/node-server, in a process of its own
// like the sync-server, answering a small JSON body without reading the request.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.post('/bare', (c) => c.json({ ok: true }));
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, ({ port }) => {
	process.stdout.write(`Open http://127.0.0.1:${port}\n`);
});
