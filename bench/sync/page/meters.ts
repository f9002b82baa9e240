import type { UserDb } from '../../../src/lib/db/index.ts';
import { defaultVaultCrypto, type VaultCrypto } from '../../../src/lib/vault/index.ts';

// Where a device's sync time goes, measured around the parts the sync client is handed (its
// fetch and crypto) and the database it writes, without changing what any of them does. The
// sync engine awaits each envelope in turn, so summed crypto time is wall time spent in it.

/** Wall-clock milliseconds shared by both device browsers (they run on one machine). */
export const clock = () => performance.timeOrigin + performance.now();

export interface Span {
	start: number;
	end: number;
}

export interface RequestSpan extends Span {
	path: string;
	bytes: number;
}

const totals = () => ({ ms: 0, count: 0 });

export function createMeters(db: UserDb) {
	let requests: RequestSpan[] = [];
	let crypto = { open: totals(), seal: totals(), unwrap: totals() };
	let transactions: Span[] = [];
	let pullBodies: ArrayBuffer[] | undefined;

	// Each answer is read whole here, so a span ends when the last byte arrived (server time and
	// transfer); parsing and checking it stay in the sync client's own time. The event stream
	// never ends, so it passes through untouched.
	const fetch: typeof globalThis.fetch = async (input, init) => {
		const url = new URL(input instanceof Request ? input.url : String(input), location.href);
		if (url.pathname === '/v1/events') return globalThis.fetch(input, init);
		const start = clock();
		const response = await globalThis.fetch(input, init);
		const body = await response.arrayBuffer();
		requests.push({ path: url.pathname, start, end: clock(), bytes: body.byteLength });
		if (url.pathname === '/v1/sync/pull') pullBodies?.push(body);
		const empty = [101, 204, 205, 304].includes(response.status);
		return new Response(empty ? null : body, {
			status: response.status,
			statusText: response.statusText,
			headers: response.headers
		});
	};

	const timed =
		<A extends unknown[], R>(total: { ms: number; count: number }, work: (...args: A) => R) =>
		async (...args: A): Promise<Awaited<R>> => {
			const start = performance.now();
			try {
				return await work(...args);
			} finally {
				total.ms += performance.now() - start;
				total.count++;
			}
		};
	const vaultCrypto: VaultCrypto = {
		...defaultVaultCrypto,
		openEnvelope: (input) => timed(crypto.open, defaultVaultCrypto.openEnvelope)(input),
		sealEnvelope: (input) => timed(crypto.seal, defaultVaultCrypto.sealEnvelope)(input),
		unwrapProfileKey: (input) => timed(crypto.unwrap, defaultVaultCrypto.unwrapProfileKey)(input)
	};

	// Every IndexedDB transaction the device opens, from the call until it committed.
	const transaction = db.transaction.bind(db) as (...args: unknown[]) => Promise<unknown>;
	(db as unknown as { transaction: typeof transaction }).transaction = (...args) => {
		const start = clock();
		const done = () => void transactions.push({ start, end: clock() });
		return transaction(...args).then(
			(value) => (done(), value),
			(error: unknown) => {
				done();
				throw error;
			}
		);
	};

	return {
		fetch,
		crypto: vaultCrypto,
		reset({ keepPullBodies = false } = {}) {
			pullBodies = keepPullBodies ? [] : undefined;
			requests = [];
			crypto = { open: totals(), seal: totals(), unwrap: totals() };
			transactions = [];
		},
		/** The pull answers received since reset({ keepPullBodies: true }). */
		pullBodies: () => pullBodies ?? [],
		read() {
			return { requests: [...requests], crypto, transactions: [...transactions] };
		}
	};
}

export type Meters = ReturnType<typeof createMeters>;
