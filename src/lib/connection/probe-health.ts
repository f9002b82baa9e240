import { Health } from '../shared/health.ts';
import type { ServerReach } from './describe-connection.ts';

/** Asks GET /v1/health; any failure to get a well-formed answer in time is "unreachable". */
export async function probeHealth({
	fetch = globalThis.fetch,
	url = '/v1/health',
	timeoutMs = 5_000
}: {
	fetch?: typeof globalThis.fetch;
	url?: string;
	timeoutMs?: number;
} = {}): Promise<ServerReach> {
	try {
		const response = await fetch(url, {
			cache: 'no-store',
			headers: { accept: 'application/json' },
			signal: AbortSignal.timeout(timeoutMs)
		});
		const parsed = Health.safeParse(await response.json());
		if (!parsed.success) return 'unreachable';
		return parsed.data.status === 'ok' && response.ok ? 'ok' : 'degraded';
	} catch {
		return 'unreachable';
	}
}
