import {
	AttachmentNetworkError,
	AttachmentRefusedError,
	readAttachment as readAttachmentDefault,
	resealAttachment,
	uploadAttachment as uploadAttachmentDefault
} from '../attachments/index.ts';
import { readEnvelopeKeyVersion, type CryptoKeyPair, type ProfileKey } from '../crypto/index.ts';
import type { ImportRow, UserDb } from '../db/index.ts';
import { toApiRequestError } from '../http/api-errors.ts';
import { CreateImportResponse, type ImportProgress } from '../shared/imports.ts';
import { ImportJobGoneError, ImportsOfflineError, ImportsSignedOutError } from './errors.ts';
import { followImportEvents } from './follow-import-events.ts';
import { sealImportResult } from './import-result.ts';
import { isActiveImport } from './import-states.ts';
import { createJobKey, openJobKey } from './job-key.ts';
import { sniffMediaType } from './media-type.ts';

export interface ImportJobDeps {
	db: UserDb;
	fetch: typeof globalThis.fetch;
	// A profile key by version; throws ImportKeyMissingError when the page has not handed it over.
	profileKey: (profileId: string, version: number) => Promise<ProfileKey>;
	// 'cloud' only for profiles whose recorded consent covers the server's cloud provider.
	processing?: (profileId: string) => 'local' | 'cloud';
	signal?: AbortSignal;
	baseUrl?: string;
	now?: () => number;
	uploadAttachment?: typeof uploadAttachmentDefault;
	readAttachment?: typeof readAttachmentDefault;
	// How long to wait before reconnecting a dropped event stream, by attempt (0, 1, …).
	reconnectDelayMs?: (attempt: number) => number;
}

// The row was deleted, or reset by Retry, while this job worked on it: stop quietly.
class ImportRowChangedError extends Error {}

const MAX_RECONNECTS = 3;
const MAX_RESTARTS = 2;

const wait = (ms: number, signal?: AbortSignal) =>
	new Promise<void>((resolve, reject) => {
		if (ms <= 0) return resolve();
		const timer = setTimeout(resolve, ms);
		signal?.addEventListener('abort', () => {
			clearTimeout(timer);
			reject(signal.reason);
		});
	});

/**
 * Takes one import as far as it goes: upload the sealed original (resumable), start the job with
 * a fresh key pair, follow its events from the last one read and keep the sealed result. Every
 * step is written to the row first, so a restart picks up where this stopped. Throws
 * ImportsOfflineError (try again later), ImportsSignedOutError, ImportKeyMissingError; a refusal
 * or a failed extraction ends as a 'failed' row instead.
 */
export async function runImportJob(deps: ImportJobDeps, importId: string): Promise<void> {
	try {
		await run(deps, importId);
	} catch (error) {
		if (error instanceof ImportRowChangedError) return;
		throw error;
	}
}

async function run(deps: ImportJobDeps, importId: string): Promise<void> {
	const { db, now = Date.now } = deps;
	const found = await db.imports.get(importId);
	if (!found || !isActiveImport(found)) return;
	let row: ImportRow = found;

	const update = async (changes: Partial<ImportRow>) => {
		const next = { ...row, ...changes, updatedAt: now() };
		// Only over the row this job last wrote: a Delete or a Retry in between wins.
		const written = await db.transaction('rw', db.imports, async () => {
			const current = await db.imports.get(importId);
			if (!current || current.updatedAt !== row.updatedAt || current.state !== row.state) {
				return false;
			}
			await db.imports.put(next);
			return true;
		});
		if (!written) throw new ImportRowChangedError();
		row = next;
	};
	const fail = (error: { code: string; message: string }) =>
		update({ state: 'failed', error, percent: 0 });
	const currentKey = async () => {
		const profile = await db.profiles.get(row.profileId);
		if (!profile) throw new ImportRowChangedError();
		return deps.profileKey(row.profileId, profile.keyVersion);
	};

	// Upload (when not done) and start the job; false when the import failed for good instead.
	const begin = async (): Promise<boolean> => {
		try {
			return (
				(await upload(deps, row, update, fail, currentKey)) &&
				(await start(deps, row, currentKey, update, fail))
			);
		} catch (error) {
			// Not sent yet: the list says queued again (not "Uploading 40 %" for an hour offline);
			// the next drain resumes the upload where the server's copy ends.
			if (error instanceof ImportsOfflineError) await update({ state: 'queued', percent: 0 });
			throw error;
		}
	};
	if (!row.jobId && !(await begin())) return;

	let keyPair = await openKey();
	let reconnects = 0;
	let restarts = 0;
	for (;;) {
		try {
			for await (const { id, event } of followImportEvents({
				fetch: deps.fetch,
				jobId: row.jobId!,
				lastEventId: row.lastEventId,
				keyPair,
				signal: deps.signal,
				baseUrl: deps.baseUrl
			})) {
				reconnects = 0;
				switch (event.event) {
					case 'progress':
						await update({
							state: row.state === 'failed' ? 'failed' : 'extracting',
							percent: overallPercent(event.data),
							lastEventId: id
						});
						break;
					case 'result':
						await update({
							sealedResult: await sealImportResult({
								profileKey: await currentKey(),
								profileId: row.profileId,
								importId,
								result: event.data
							}),
							lastEventId: id
						});
						break;
					case 'error':
						await update({ state: 'failed', error: event.data, percent: 0, lastEventId: id });
						break;
					case 'done':
						if (row.state === 'failed') await update({ lastEventId: id });
						else if (row.sealedResult)
							await update({ state: 'ready', percent: 100, lastEventId: id });
						else {
							await update({
								state: 'failed',
								percent: 0,
								lastEventId: id,
								error: {
									code: 'extraction-failed',
									message: 'The import ended without any results. Retry, or delete it.'
								}
							});
						}
						return;
				}
			}
			// The server ended the stream before `done` (a deploy, a proxy's timeout): reconnect.
			throw new ImportsOfflineError();
		} catch (error) {
			if (error instanceof ImportJobGoneError) {
				// Expired or lost with a restarted server: the file is still here, so start over.
				if (++restarts > MAX_RESTARTS) throw new ImportsOfflineError({ cause: error });
				await update({
					jobId: undefined,
					lastEventId: undefined,
					sealedJobKey: undefined,
					sealedResult: undefined
				});
				if (!(await begin())) return;
				keyPair = await openKey();
				continue;
			}
			if (error instanceof ImportsOfflineError && reconnects < MAX_RECONNECTS) {
				await wait(deps.reconnectDelayMs?.(reconnects) ?? 1_000 * reconnects, deps.signal);
				reconnects++;
				continue;
			}
			throw error;
		}
	}

	async function openKey(): Promise<CryptoKeyPair> {
		const sealed = row.sealedJobKey!;
		return openJobKey({
			profileKey: await deps.profileKey(row.profileId, readEnvelopeKeyVersion(sealed)),
			profileId: row.profileId,
			importId: row.id,
			sealed
		});
	}
}

// The server reports reading the document and extracting its values as two runs of 0–100;
// the list shows one bar that only moves forward.
const overallPercent = ({ stage, percent }: ImportProgress) =>
	Math.round(stage === 'reading' ? percent / 2 : 50 + percent / 2);

type Update = (changes: Partial<ImportRow>) => Promise<void>;
type Fail = (error: { code: string; message: string }) => Promise<void>;

/** The original must reach the server whatever else happens: the profile's other members read it. */
async function upload(
	deps: ImportJobDeps,
	row: ImportRow,
	update: Update,
	fail: Fail,
	currentKey: () => Promise<ProfileKey>,
	resealed = false
): Promise<boolean> {
	const uploadAttachment = deps.uploadAttachment ?? uploadAttachmentDefault;
	await update({ state: 'uploading', percent: 0, error: undefined });
	let shown = 0;
	let writing = Promise.resolve();
	try {
		await uploadAttachment({
			db: deps.db,
			fetch: deps.fetch,
			attachmentId: row.attachmentId,
			signal: deps.signal,
			baseUrl: deps.baseUrl,
			onProgress: (sent, total) => {
				const percent = total === 0 ? 100 : Math.floor((sent / total) * 100);
				if (percent === shown) return;
				shown = percent;
				writing = writing.then(() => update({ percent }));
			}
		});
		await writing;
		return true;
	} catch (error) {
		await writing.catch(() => {});
		if (error instanceof AttachmentNetworkError) throw new ImportsOfflineError({ cause: error });
		if (error instanceof AttachmentRefusedError) {
			if (error.status === 401) throw new ImportsSignedOutError();
			// A patient added offline is registered by the page's next sync: wait for it.
			if (error.code === 'profile_not_found') throw new ImportsOfflineError({ cause: error });
			// The profile key was rotated (a member removed) since the file was sealed: seal what
			// the server lacks under the current key, once, and send it again.
			if (error.code === 'stale_key_version' && !resealed) {
				await resealAttachment({
					db: deps.db,
					attachmentId: row.attachmentId,
					profileKey: await currentKey(),
					openKey: (version) => deps.profileKey(row.profileId, version)
				});
				return upload(deps, row, update, fail, currentKey, true);
			}
			await fail({ code: error.code, message: error.message });
			return false;
		}
		if (error instanceof Error && error.name.startsWith('Attachment')) {
			await fail({ code: 'attachment-unreadable', message: error.message });
			return false;
		}
		throw error;
	}
}

/** POST /v1/imports with the decrypted file and a new job key; the job id and key are kept. */
async function start(
	deps: ImportJobDeps,
	row: ImportRow,
	currentKey: () => Promise<ProfileKey>,
	update: Update,
	fail: Fail
): Promise<boolean> {
	const readAttachment = deps.readAttachment ?? readAttachmentDefault;
	const jobKey = await createJobKey({
		profileKey: await currentKey(),
		profileId: row.profileId,
		importId: row.id
	});
	let bytes: Uint8Array;
	try {
		bytes = await readAttachment({
			db: deps.db,
			fetch: deps.fetch,
			profileId: row.profileId,
			attachmentId: row.attachmentId,
			profileKey: (version) => deps.profileKey(row.profileId, version)
		});
	} catch (error) {
		if (error instanceof AttachmentNetworkError) throw new ImportsOfflineError({ cause: error });
		if (error instanceof Error && error.name.startsWith('Attachment')) {
			await fail({ code: 'attachment-unreadable', message: error.message });
			return false;
		}
		throw error;
	}
	const form = new FormData();
	// The type was checked against the content when the file was added; sniffed again here, so
	// nothing about the document has to be kept outside its sealed record.
	const type = sniffMediaType(bytes) ?? 'application/octet-stream';
	form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), 'document');
	bytes.fill(0);
	form.append('publicKey', JSON.stringify(jobKey.publicJwk));
	if (deps.processing?.(row.profileId) === 'cloud') form.append('processing', 'cloud');

	let response: Response;
	try {
		response = await deps.fetch(`${deps.baseUrl ?? ''}/v1/imports`, {
			method: 'POST',
			body: form,
			signal: deps.signal,
			credentials: 'same-origin',
			cache: 'no-store'
		});
	} catch (cause) {
		if (deps.signal?.aborted) throw deps.signal.reason ?? cause;
		throw new ImportsOfflineError({ cause });
	}
	if (response.status === 202) {
		const { jobId } = CreateImportResponse.parse(await response.json());
		await update({
			state: 'extracting',
			percent: 0,
			jobId,
			lastEventId: undefined,
			sealedJobKey: jobKey.sealed,
			sealedResult: undefined
		});
		return true;
	}
	const refusal = await toApiRequestError(response);
	if (response.status === 401) throw new ImportsSignedOutError();
	if (response.status === 429 || response.status >= 500) {
		throw new ImportsOfflineError({ cause: refusal });
	}
	// 400 empty, 413 too large, 415 not its type: the same file would be refused again.
	await fail({ code: refusal.code, message: refusal.message });
	return false;
}
