import type { Mutation, PushRequest } from '../../src/lib/shared/sync.ts';
import type { App } from '../../sync-server/src/app.ts';

/** What a test does to one device's network. */
export interface DeviceNetwork {
	/** Every request fails as a browser's fetch does offline. */
	offline: boolean;
	/** Runs (once) before the next push reaches the server: a race staged by the test. */
	beforeNextPush?: () => Promise<unknown>;
	/** The next push reaches the server, but its answer is lost on the way back. */
	loseNextPushAnswer: boolean;
	/** The mutations of each push sent, in order. */
	pushes: Mutation[][];
	/** "METHOD /path" of each request that reached the server, in order. */
	requests: string[];
}

/**
 * A browser's fetch reduced to what the app uses against an in-process server: same-origin
 * requests through `app.request`, with a cookie jar, and a network the test can cut or disturb.
 */
export function deviceFetch(app: App): { fetch: typeof globalThis.fetch; state: DeviceNetwork } {
	const jar = new Map<string, string>();
	const state: DeviceNetwork = {
		offline: false,
		loseNextPushAnswer: false,
		pushes: [],
		requests: []
	};
	const fetch: typeof globalThis.fetch = async (input, init) => {
		if (state.offline) throw new TypeError('fetch failed (offline)');
		const isPush = String(input).includes('/v1/sync/push');
		if (isPush && state.beforeNextPush) {
			const before = state.beforeNextPush;
			state.beforeNextPush = undefined;
			await before();
		}
		if (isPush && typeof init?.body === 'string') {
			state.pushes.push((JSON.parse(init.body) as PushRequest).mutations as Mutation[]);
		}
		state.requests.push(`${init?.method ?? 'GET'} ${new URL(String(input), 'http://x').pathname}`);
		const headers = new Headers(init?.headers);
		if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
		const response = await app.request(String(input), { ...init, headers });
		for (const line of response.headers.getSetCookie()) {
			const [pair = ''] = line.split(';');
			jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
		}
		if (isPush && state.loseNextPushAnswer) {
			state.loseNextPushAnswer = false;
			throw new TypeError('fetch failed (the answer was lost)');
		}
		return response;
	};
	return { fetch, state };
}
