// The same 10,000 records with both devices online, as the app runs them: B's sync triggers are
// on (SSE `changes` nudges over GET /v1/events), so B pulls while A is still pushing. Time =
// A's sync run starting → B holding all of them (checked after each of B's finished sync runs),
// then every one must list decrypted on B. records/s = count ÷ that time. The sequential figure
// (records-sync.mjs: A's whole upload, then B's whole download) stays the headline.
import { round, settle } from './stats.mjs';

const TIMEOUT_MS = 60_000;

export async function measureRecordsPipeline({ a, b, count }) {
	const written = await a.call('writeRecords', { count });
	await settle(1500); // IndexedDB's background writes after the large commit
	await b.call('startTriggers');
	await settle(1500); // B's first sync run and its event stream
	await b.call('watchStored', { profileId: written.profileId, count });
	const up = await a.call('syncOnce');
	const storedAt = await b.call('storedAt', { timeoutMs: TIMEOUT_MS });
	if (storedAt === null) throw new Error(`B did not hold ${count} records in ${TIMEOUT_MS} ms`);
	const stored = await b.call('listRecords', { profileId: written.profileId });
	if (stored.listed !== count || stored.undecryptable !== 0) {
		throw new Error(
			`Pipeline incomplete: B lists ${stored.listed} of ${count} (${stored.undecryptable} undecryptable)`
		);
	}
	const ms = storedAt - up.start;
	return { records_per_s: round(count / (ms / 1000)), ms: round(ms) };
}
