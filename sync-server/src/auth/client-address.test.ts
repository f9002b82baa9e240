import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address.ts';

async function addressSeen({
	hops,
	socket,
	forwardedFor
}: {
	hops: number;
	socket?: string;
	forwardedFor?: string;
}) {
	const app = new Hono().get('/', (c) => c.text(clientAddress(c, hops)));
	const headers = forwardedFor === undefined ? undefined : { 'x-forwarded-for': forwardedFor };
	const env =
		socket === undefined ? undefined : { incoming: { socket: { remoteAddress: socket } } };
	return (await app.request('/', { headers }, env)).text();
}

describe('clientAddress', () => {
	it('uses the socket peer and ignores X-Forwarded-For when no proxy is trusted', async () => {
		expect(
			await addressSeen({ hops: 0, socket: '203.0.113.9', forwardedFor: '198.51.100.1' })
		).toBe('203.0.113.9');
	});

	it('takes the entry the trusted proxy appended, not what the client put in front of it', async () => {
		const forwardedFor = '1.1.1.1, 198.51.100.7, 10.0.0.2';
		expect(await addressSeen({ hops: 1, socket: '10.0.0.3', forwardedFor })).toBe('10.0.0.2');
		expect(await addressSeen({ hops: 2, socket: '10.0.0.3', forwardedFor })).toBe('198.51.100.7');
		expect(await addressSeen({ hops: 1, socket: '10.0.0.3', forwardedFor: 'garbage' })).toBe(
			'10.0.0.3'
		);
	});

	it('counts an IPv6 /64 as one address and an IPv4-mapped address as its IPv4 address', async () => {
		const a = await addressSeen({ hops: 0, socket: '2001:db8:1:2::1' });
		const b = await addressSeen({ hops: 0, socket: '2001:db8:1:2:aaaa:bbbb:cccc:dddd' });
		const other = await addressSeen({ hops: 0, socket: '2001:db8:1:3::1' });
		expect(a).toBe('2001:db8:1:2::/64');
		expect(b).toBe(a);
		expect(other).not.toBe(a);
		expect(await addressSeen({ hops: 0, socket: '::1' })).toBe('0:0:0:0::/64');
		expect(await addressSeen({ hops: 0, socket: '::ffff:192.0.2.1' })).toBe('192.0.2.1');
	});

	it('falls back to "unknown" without a socket (in-process requests)', async () => {
		expect(await addressSeen({ hops: 0 })).toBe('unknown');
	});
});
