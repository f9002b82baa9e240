// sync_records_per_s: 10,000 lab results saved on device A travel to device B, which decrypts,
// merges and stores them: A's sync run until its push is done (register the profile, push the
// outbox in batches of 500), then B's sync run (pull pages of 1,000, open, merge, re-seal what merged, commit).
// records/s = count ÷ (A's upload + B's download). Both run the app's own sync client; the
// meters around its fetch, crypto and IndexedDB transactions say where the time goes, and
// B's download is then re-run step by step over the same pull answers (explain-download.ts).
import { round, settle, sum } from './stats.mjs';

const between = (list, from, to) => list.filter((span) => span.start >= from && span.end <= to);
const spanMs = (list) => sum(list.map((span) => span.end - span.start));
const path = (requests, name) => requests.filter((r) => r.path === name);

export async function measureRecordsSync({ a, b, count, email, password }) {
	await a.call('signUp', { email, password });
	await b.call('signIn', { email, password });
	const written = await a.call('writeRecords', { count });
	// IndexedDB writes its files in the background after a large commit; let that finish.
	await settle(1500);

	const up = await a.call('syncOnce');
	const down = await b.call('syncOnce');
	const stored = await b.call('listRecords', { profileId: written.profileId });
	if (up.status.pending !== 0 || stored.listed !== count || stored.undecryptable !== 0) {
		throw new Error(
			`Sync incomplete: A has ${up.status.pending} unsent, B lists ${stored.listed} of ${count} ` +
				`(${stored.undecryptable} undecryptable)`
		);
	}
	const steps = await b.call('explainLastDownload', { profileId: written.profileId });

	// A's run goes on to pull its own changes back (the echo): not part of A → server → B.
	const echoStart = path(up.requests, '/v1/sync/pull')[0].start;
	const uploadMs = echoStart - up.start;
	const pushes = path(up.requests, '/v1/sync/push');
	const uploadHttpMs = spanMs(between(up.requests, up.start, echoStart));
	const uploadCommitMs = spanMs(between(up.transactions, up.start, echoStart));

	const downloadMs = down.end - down.start;
	const pulls = path(down.requests, '/v1/sync/pull');
	const downloadHttpMs = spanMs(down.requests);
	const downloadCommitMs = spanMs(down.transactions);
	const { open, seal, unwrap } = down.crypto;
	return {
		profileId: written.profileId,
		figures: {
			records_per_s: round(count / ((uploadMs + downloadMs) / 1000)),
			write_ms: round(written.ms),
			upload_ms: round(uploadMs),
			upload_records_per_s: round(count / (uploadMs / 1000)),
			upload_push_requests: pushes.length,
			upload_http_ms: round(uploadHttpMs),
			upload_idb_commit_ms: round(uploadCommitMs),
			upload_rest_ms: round(uploadMs - uploadHttpMs - uploadCommitMs),
			download_ms: round(downloadMs),
			download_records_per_s: round(count / (downloadMs / 1000)),
			download_pull_requests: pulls.length,
			download_pull_kb: round(sum(pulls.map((r) => r.bytes)) / 1024),
			download_http_ms: round(downloadHttpMs),
			download_open_ms: round(open.ms),
			download_seal_ms: round(seal.ms),
			download_unwrap_ms: round(unwrap.ms),
			download_idb_commit_ms: round(downloadCommitMs),
			download_rest_ms: round(
				downloadMs - downloadHttpMs - open.ms - seal.ms - unwrap.ms - downloadCommitMs
			),
			// The same steps re-run alone over B's pull answers (explain-download.ts).
			explain_json_parse_ms: round(steps.jsonParseMs),
			explain_pull_validate_ms: round(steps.validateMs),
			explain_base64_decode_ms: round(steps.base64DecodeMs),
			explain_base64_encode_ms: round(steps.base64EncodeMs),
			explain_open_ms: round(steps.openMs),
			explain_record_parse_ms: round(steps.recordParseMs),
			explain_seal_ms: round(steps.sealMs),
			proposal_open_together_ms: round(steps.openTogetherMs),
			echo_pull_ms: round(up.end - echoStart)
		}
	};
}
