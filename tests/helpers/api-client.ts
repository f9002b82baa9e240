import type { App } from '../../sync-server/src/app.ts';

export interface ApiResponse<T = unknown> {
	status: number;
	headers: Headers;
	body: T;
	/** The Set-Cookie lines of this response, verbatim. */
	setCookies: string[];
}

let nextAddress = 1;

/**
 * One device talking to the in-process app: its own cookie jar (enough of RFC 6265 for one
 * cookie name: set, replace, delete on Max-Age=0) and its own client address, sent as
 * X-Forwarded-For to an app built with trustedProxyHops: 1, so per-IP limits of one test never
 * reach another.
 */
export function createApiClient(app: App, { ip }: { ip?: string } = {}) {
	const address =
		ip ?? `10.${(nextAddress >> 16) & 255}.${(nextAddress >> 8) & 255}.${nextAddress++ & 255}`;
	const jar = new Map<string, string>();

	return {
		ip: address,
		cookies: jar,
		cookieHeader() {
			return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
		},
		async request<T = unknown>(
			method: string,
			path: string,
			{ json, body, contentType }: { json?: unknown; body?: string; contentType?: string } = {}
		): Promise<ApiResponse<T>> {
			const headers = new Headers({ 'x-forwarded-for': address });
			if (jar.size > 0) headers.set('cookie', this.cookieHeader());
			const payload = json !== undefined ? JSON.stringify(json) : body;
			if (payload !== undefined) headers.set('content-type', contentType ?? 'application/json');
			const response = await app.request(path, { method, headers, body: payload });
			const setCookies = response.headers.getSetCookie();
			for (const line of setCookies) {
				const [pair = ''] = line.split(';');
				const name = pair.slice(0, pair.indexOf('='));
				const value = pair.slice(pair.indexOf('=') + 1);
				if (/;\s*max-age=0\b/i.test(line)) jar.delete(name);
				else jar.set(name, value);
			}
			const text = await response.text();
			return {
				status: response.status,
				headers: response.headers,
				body: (text ? JSON.parse(text) : undefined) as T,
				setCookies
			};
		}
	};
}

export type ApiClient = ReturnType<typeof createApiClient>;
