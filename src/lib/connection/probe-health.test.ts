import { describe, expect, it } from 'vitest';
import { probeHealth } from './probe-health.ts';

const answer = (status: number, body: unknown) => () =>
	Promise.resolve(new Response(JSON.stringify(body), { status }));

const healthy = { status: 'ok', version: '0.1.0', database: { kind: 'pglite', ok: true } };

describe('probeHealth', () => {
	it('reports ok for a healthy server', async () => {
		expect(await probeHealth({ fetch: answer(200, healthy) })).toBe('ok');
	});

	it('reports degraded when the server answers but its database does not', async () => {
		const body = { ...healthy, status: 'degraded', database: { kind: 'postgres', ok: false } };
		expect(await probeHealth({ fetch: answer(503, body) })).toBe('degraded');
	});

	it('reports unreachable on a network error, a timeout or an answer that is not health', async () => {
		expect(
			await probeHealth({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) })
		).toBe('unreachable');
		expect(await probeHealth({ fetch: answer(502, { oops: true }) })).toBe('unreachable');
		const never = (_: unknown, init?: RequestInit) =>
			new Promise<Response>((_resolve, reject) =>
				init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))
			);
		expect(await probeHealth({ fetch: never as typeof fetch, timeoutMs: 10 })).toBe('unreachable');
	});
});
