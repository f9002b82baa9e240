import {
	exportPrivateKeyPkcs8,
	exportPublicKey,
	fromBase64Url,
	generateUserKeyPair,
	importPrivateKeyPkcs8,
	importPublicKey,
	readEnvelopeKeyVersion,
	toBase64Url
} from '../crypto/index.ts';
import { openJobEvent } from '../crypto/job-event.ts';
import type { CryptoKeyPair } from '../crypto/webcrypto.ts';
import type { AnalysisRow, UserDb } from '../db/user-db.ts';
import { ApiRequestError, NetworkError } from '../http/api-errors.ts';
import { requestJson } from '../http/request-json.ts';
import { AnalysisEvent, CreateAnalysisResponse, type AnalysisFailure } from '../shared/analyses.ts';
import { EventStreamError, streamEvents } from '../stream/stream-events.ts';
import type { Vault } from '../vault/index.ts';
import { openAnalysisPart, sealAnalysisPart, type AnalysisRequest } from './analysis-seal.ts';
import { toAnalysisRecords } from './choose-records.ts';

export interface AnalysisDeps {
	db: UserDb;
	vault: Vault;
	fetch?: typeof globalThis.fetch;
}

/** What the page shows of one analysis. */
export interface AnalysisView {
	id: string;
	state: AnalysisRow['state'];
	text: string;
	recordCount: number;
	processing: AnalysisRequest['processing'];
	error?: { code: string; message: string };
	recordId?: string;
	createdAt: number;
}

const PERSIST_EVERY_MS = 1_000;

const PERFORMER: Record<string, string> = {
	local: 'Charta’s local summary (no AI model)',
	openai: 'OpenAI, through Charta',
	gemini: 'Google Gemini, through Charta'
};

async function keyFor(deps: AnalysisDeps, profileId: string, sealed: Uint8Array) {
	return deps.vault.profileKeyFor(profileId, readEnvelopeKeyVersion(sealed));
}

async function currentKey(deps: AnalysisDeps, profileId: string) {
	const profile = await deps.db.profiles.get(profileId);
	if (!profile) throw new Error('This patient is not on this device.');
	return deps.vault.profileKeyFor(profileId, profile.keyVersion);
}

async function update(db: UserDb, id: string, changes: Partial<AnalysisRow>) {
	await db.analyses.update(id, { ...changes, updatedAt: Date.now() });
}

/** Queues an analysis of the chosen records; it runs when `runAnalysis` gets to it. */
export async function requestAnalysis(
	deps: AnalysisDeps,
	{ profileId, request }: { profileId: string; request: AnalysisRequest }
): Promise<string> {
	const id = crypto.randomUUID();
	const profileKey = await currentKey(deps, profileId);
	const now = Date.now();
	await deps.db.analyses.add({
		id,
		profileId,
		state: 'queued',
		sealedRequest: await sealAnalysisPart({
			profileKey,
			profileId,
			analysisId: id,
			part: 'request',
			value: request
		}),
		createdAt: now,
		updatedAt: now
	});
	return id;
}

/** Every analysis of the profile, newest first, opened for the page. */
export async function listAnalyses(deps: AnalysisDeps, profileId: string): Promise<AnalysisView[]> {
	const rows = await deps.db.analyses.where('profileId').equals(profileId).toArray();
	rows.sort((a, b) => b.createdAt - a.createdAt);
	return Promise.all(rows.map((row) => viewOf(deps, row)));
}

async function viewOf(deps: AnalysisDeps, row: AnalysisRow): Promise<AnalysisView> {
	const open = async () => {
		const request = await openAnalysisPart({
			profileKey: await keyFor(deps, row.profileId, row.sealedRequest!),
			profileId: row.profileId,
			analysisId: row.id,
			part: 'request',
			sealed: row.sealedRequest!
		});
		const text = row.sealedText
			? await openAnalysisPart({
					profileKey: await keyFor(deps, row.profileId, row.sealedText),
					profileId: row.profileId,
					analysisId: row.id,
					part: 'text',
					sealed: row.sealedText
				})
			: { text: '', lastEventId: 0 };
		return { request, text };
	};
	const base = { id: row.id, state: row.state, createdAt: row.createdAt, recordId: row.recordId };
	try {
		const { request, text } = await open();
		return {
			...base,
			text: text.text,
			recordCount: request.recordIds.length,
			processing: request.processing,
			...(row.error ? { error: row.error } : {})
		};
	} catch {
		return {
			...base,
			text: '',
			recordCount: 0,
			processing: 'local',
			error: { code: 'undecryptable', message: 'This analysis cannot be decrypted.' }
		};
	}
}

/** Cancels on the server (the stream then ends with `error` cancelled) and here. */
export async function cancelAnalysis(deps: AnalysisDeps, id: string): Promise<void> {
	const row = await deps.db.analyses.get(id);
	if (!row || (row.state !== 'queued' && row.state !== 'running')) return;
	if (row.jobId) {
		await (deps.fetch ?? globalThis.fetch)(`/v1/analyses/${row.jobId}`, {
			method: 'DELETE',
			credentials: 'same-origin'
		}).catch(() => undefined);
	}
	await update(deps.db, id, {
		state: 'cancelled',
		error: { code: 'cancelled', message: 'The analysis was cancelled.' }
	});
}

/** Queues a failed or cancelled analysis again, from the start, with a new job. */
export async function retryAnalysis(deps: AnalysisDeps, id: string): Promise<void> {
	const row = await deps.db.analyses.get(id);
	if (!row || (row.state !== 'failed' && row.state !== 'cancelled')) return;
	await deps.db.analyses.put({
		id: row.id,
		profileId: row.profileId,
		state: 'queued',
		sealedRequest: row.sealedRequest,
		createdAt: row.createdAt,
		updatedAt: Date.now()
	});
}

/** Removes a finished, failed or cancelled analysis from the list (its saved record stays). */
export async function forgetAnalysis(deps: AnalysisDeps, id: string): Promise<void> {
	await deps.db.analyses.delete(id);
}

/**
 * Runs one queued analysis, or resumes one that was running (its stream from the last event
 * kept): POST /v1/analyses with the chosen records, then the sealed events, each opened with the
 * job's private key. Deltas go to `onText` as they arrive; the finished text is saved as a
 * DiagnosticReport whose id is the analysis's own, so running the end twice saves it once.
 * Offline, it leaves the analysis queued (or running) and returns; `signal` stops it likewise.
 */
export async function runAnalysis(
	deps: AnalysisDeps,
	id: string,
	{ signal, onText }: { signal: AbortSignal; onText?: (text: string) => void }
): Promise<void> {
	const fetch = deps.fetch ?? globalThis.fetch;
	const row = await deps.db.analyses.get(id);
	if (!row || (row.state !== 'queued' && row.state !== 'running')) return;
	const { profileId } = row;
	const profileKey = await currentKey(deps, profileId);
	const request = await openAnalysisPart({
		profileKey: await keyFor(deps, profileId, row.sealedRequest!),
		profileId,
		analysisId: id,
		part: 'request',
		sealed: row.sealedRequest!
	});
	const fail = async (error: { code: string; message: string }) => {
		await update(deps.db, id, {
			state: error.code === 'cancelled' ? 'cancelled' : 'failed',
			error
		});
	};

	let jobId = row.jobId;
	let text = '';
	let lastEventId = 0;
	let recipient: CryptoKeyPair;
	if (jobId && row.sealedJobKey) {
		const key = await openAnalysisPart({
			profileKey: await keyFor(deps, profileId, row.sealedJobKey),
			profileId,
			analysisId: id,
			part: 'job-key',
			sealed: row.sealedJobKey
		});
		recipient = {
			privateKey: await importPrivateKeyPkcs8(fromBase64Url(key.pkcs8)),
			publicKey: await importPublicKey(key.publicJwk)
		};
		if (row.sealedText) {
			({ text, lastEventId } = await openAnalysisPart({
				profileKey: await keyFor(deps, profileId, row.sealedText),
				profileId,
				analysisId: id,
				part: 'text',
				sealed: row.sealedText
			}));
		}
	} else {
		const records = toAnalysisRecords(await deps.vault.listRecords(profileId), request.recordIds);
		if (records.length === 0) {
			await fail({ code: 'no-records', message: 'The chosen records are no longer here.' });
			return;
		}
		const pair = await generateUserKeyPair();
		const publicJwk = await exportPublicKey(pair.publicKey, 'jwk');
		const pkcs8 = await exportPrivateKeyPkcs8(pair.privateKey);
		const sealedJobKey = await sealAnalysisPart({
			profileKey,
			profileId,
			analysisId: id,
			part: 'job-key',
			value: { pkcs8: toBase64Url(pkcs8), publicJwk }
		});
		pkcs8.fill(0);
		try {
			({ analysisId: jobId } = await requestJson(
				{ fetch },
				'POST',
				'/v1/analyses',
				CreateAnalysisResponse,
				{
					publicKey: publicJwk,
					processing: request.processing,
					...(request.language ? { language: request.language } : {}),
					records
				}
			));
		} catch (error) {
			if (error instanceof ApiRequestError && error.status !== 429 && error.status < 500) {
				await fail({ code: error.code, message: error.message });
			}
			// Offline, busy or down: it stays queued for the next try.
			if (error instanceof ApiRequestError || error instanceof NetworkError) return;
			throw error;
		}
		recipient = pair;
		await update(deps.db, id, { state: 'running', jobId, sealedJobKey, lastEventId: 0 });
	}

	let persisted = Date.now();
	const persistText = async () => {
		persisted = Date.now();
		await update(deps.db, id, {
			lastEventId,
			sealedText: await sealAnalysisPart({
				profileKey,
				profileId,
				analysisId: id,
				part: 'text',
				value: { text, lastEventId }
			})
		});
	};
	onText?.(text);

	try {
		for await (const message of streamEvents({
			url: `/v1/analyses/${jobId}/events`,
			fetch,
			signal,
			lastEventId: lastEventId > 0 ? String(lastEventId) : ''
		})) {
			const event = AnalysisEvent.parse({
				event: message.event,
				data: await openJobEvent({
					recipient,
					binding: { jobId: jobId!, id: message.id, event: message.event },
					sealed: message.data
				})
			});
			lastEventId = Number(message.id);
			switch (event.event) {
				case 'delta':
					text += event.data.text;
					onText?.(text);
					if (Date.now() - persisted > PERSIST_EVERY_MS) await persistText();
					break;
				case 'result': {
					text = event.data.text;
					onText?.(text);
					await persistText();
					const recordId = await deps.vault.saveRecord({
						profileId,
						kind: 'diagnostic-report',
						id,
						data: {
							title: `Analysis of ${request.recordIds.length} record${request.recordIds.length === 1 ? '' : 's'}`,
							issued: new Date().toISOString(),
							conclusion: text,
							result: request.recordIds,
							performer: PERFORMER[event.data.provider]
						}
					});
					await update(deps.db, id, { state: 'done', recordId });
					break;
				}
				case 'error':
					await persistText();
					await fail(event.data satisfies AnalysisFailure);
					break;
				case 'done':
					return;
				case 'progress':
					break;
			}
		}
		// Stopped by `signal`: what arrived so far is kept for the resume.
		if (lastEventId > 0) await persistText();
	} catch (error) {
		if (error instanceof EventStreamError && error.status === 404) {
			await fail({
				code: 'expired',
				message:
					'The server no longer has this analysis (it restarted, or the analysis expired). Run it again.'
			});
			return;
		}
		throw error;
	}
}

/**
 * Runs this profile's queued and interrupted analyses, oldest first (app start, back online).
 * `onChange` hears each one's text as it arrives and when its state changes.
 */
export async function drainAnalyses(
	deps: AnalysisDeps,
	profileId: string,
	{ signal, onChange }: { signal: AbortSignal; onChange?: (id: string, text?: string) => void }
): Promise<void> {
	const rows = await deps.db.analyses.where('profileId').equals(profileId).toArray();
	const pending = rows
		.filter((row) => row.state === 'queued' || row.state === 'running')
		.sort((a, b) => a.createdAt - b.createdAt);
	for (const row of pending) {
		if (signal.aborted) return;
		try {
			await runAnalysis(deps, row.id, { signal, onText: (text) => onChange?.(row.id, text) });
		} catch {
			// One that cannot run (a key it cannot open) does not hold up the rest.
			await update(deps.db, row.id, {
				state: 'failed',
				error: { code: 'failed', message: 'This analysis could not be run.' }
			});
		}
		onChange?.(row.id);
	}
}
