import { describe, expect, it } from 'vitest';
import { describeConnection } from './describe-connection.ts';

describe('the connection indicator', () => {
	it('says Offline whenever the browser has no network, whatever the last probe said', () => {
		for (const server of ['unknown', 'ok', 'degraded', 'unreachable'] as const) {
			expect(describeConnection(false, server)).toMatchObject({
				state: 'offline',
				label: 'Offline'
			});
		}
	});

	it('tells a reachable server from an unreachable one when the network is up', () => {
		expect(describeConnection(true, 'ok').label).toBe('Online');
		expect(describeConnection(true, 'unreachable').label).toBe('Server unreachable');
		expect(describeConnection(true, 'degraded').state).toBe('degraded');
		expect(describeConnection(true, 'unknown').state).toBe('checking');
	});
});
