import type { Context } from 'hono';
import { isIP } from 'node:net';

interface NodeBindings {
	incoming?: { socket?: { remoteAddress?: string } };
}

/**
 * Who is asking, for per-IP rate limits. Behind `trustedProxyHops` proxies (TRUSTED_PROXY_HOPS)
 * the client is that many entries from the right of X-Forwarded-For, since each proxy appends
 * the address it saw; entries further left are whatever the client chose to send. Without
 * trusted proxies the header is ignored and the socket's peer is the client.
 */
export function clientAddress(c: Context, trustedProxyHops: number): string {
	if (trustedProxyHops > 0) {
		const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((part) => part.trim());
		const forwarded = hops[hops.length - trustedProxyHops];
		if (forwarded && isIP(forwarded)) return rateLimitPrefix(forwarded);
	}
	const socket = (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress;
	return socket ? rateLimitPrefix(socket) : 'unknown';
}

// One IPv6 subscriber usually holds a whole /64, so limits per single IPv6 address would be no
// limit at all; IPv4-mapped addresses count as the IPv4 address they carry.
function rateLimitPrefix(address: string): string {
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
	if (mapped) return mapped[1]!;
	if (isIP(address) !== 6) return address;
	const [head = '', tail] = address.split('%')[0]!.split('::');
	const left = head ? head.split(':') : [];
	const right = tail ? tail.split(':') : [];
	const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
	return `${groups
		.slice(0, 4)
		.map((group) => parseInt(group, 16).toString(16))
		.join(':')}::/64`;
}
