// push_rps_ratio: authenticated POST /v1/sync/push req/s ÷ a bare Hono route's req/s, both
// under the same autocannon load in the same run. Each push carries one mutation (a sealed ~1 KB
// lab result, as a device pushes right after a save) with a fresh mutationId; requests go round
// the accounts in turn, each pushing to its own profile, so the figure is many devices' pushes
// rather than one profile's lock queue. A push counts only if its answer says "applied".
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { startChild } from './child-process.mjs';

const bareHono = new URL('./bare-hono.mjs', import.meta.url).pathname;

const LOAD = { connections: 10, pipelining: 1 };

function cannon(options) {
	return new Promise((resolve, reject) => {
		autocannon({ ...LOAD, ...options }, (error, result) =>
			error ? reject(error) : resolve(result)
		);
	});
}

const summary = (result) => ({
	rps: result.requests.average,
	p50Ms: result.latency.p50,
	p99Ms: result.latency.p99,
	ok: result['2xx'],
	failed: result.non2xx + result.errors + result.timeouts + result.mismatches
});

/** A request that goes round `accounts`, each time with a new mutationId. */
function pushRequest(accounts) {
	let turn = 0;
	return {
		method: 'POST',
		path: '/v1/sync/push',
		setupRequest(request) {
			const account = accounts[turn++ % accounts.length];
			const mutation = {
				mutationId: randomUUID(),
				profileId: account.profileId,
				entityId: account.entityId,
				kind: 'record',
				keyVersion: 1,
				ciphertext: account.ciphertext
			};
			return {
				...request,
				headers: { cookie: account.cookie, 'content-type': 'application/json' },
				body: JSON.stringify({ clientId: 'bench', mutations: [mutation] })
			};
		}
	};
}

/** Runs `requests` against `url`: a short warm-up (JIT, pools), then `seconds` measured. */
export async function measureRps({ url, requests, seconds, verifyBody }) {
	await cannon({ url, requests, duration: 2, verifyBody });
	return summary(await cannon({ url, requests, duration: seconds, verifyBody }));
}

export function measurePush({ url, accounts, seconds }) {
	return measureRps({
		url,
		seconds,
		requests: [pushRequest(accounts)],
		verifyBody: (body) => body.includes('"status":"applied"')
	});
}

/** The same load (method, headers, body size) against the bare route. */
export function measureBare({ url, accounts, seconds }) {
	const push = pushRequest(accounts);
	return measureRps({
		url,
		seconds,
		requests: [
			{ ...push, path: '/bare', setupRequest: (r) => ({ ...push.setupRequest(r), path: '/bare' }) }
		]
	});
}

export function startBareHono() {
	return startChild({ args: [bareHono] });
}
