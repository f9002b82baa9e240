import { openJobEvent, type CryptoKeyPair } from '../crypto/index.ts';
import { ImportEvent } from '../shared/imports.ts';
import { readSse } from '../stream/read-sse.ts';
import { ImportJobGoneError, ImportsOfflineError, ImportsSignedOutError } from './errors.ts';

export interface OpenedImportEvent {
	id: number;
	event: ImportEvent;
}

/**
 * One connection to GET /v1/imports/:id/events from `lastEventId`: each event opened with the
 * job's key (bound to the job, its id and its name) and checked against ImportEvent. Ends when
 * the server ends the stream; throws ImportJobGoneError for 404, ImportsOfflineError when the
 * connection fails or drops, ImportsSignedOutError for 401. Reconnecting is the caller's choice.
 */
export async function* followImportEvents({
	fetch,
	jobId,
	lastEventId,
	keyPair,
	signal,
	baseUrl = ''
}: {
	fetch: typeof globalThis.fetch;
	jobId: string;
	lastEventId?: number;
	keyPair: CryptoKeyPair;
	signal?: AbortSignal;
	baseUrl?: string;
}): AsyncGenerator<OpenedImportEvent, void, undefined> {
	const headers = new Headers({ accept: 'text/event-stream' });
	if (lastEventId) headers.set('last-event-id', String(lastEventId));
	let response: Response;
	try {
		response = await fetch(`${baseUrl}/v1/imports/${encodeURIComponent(jobId)}/events`, {
			headers,
			signal,
			credentials: 'same-origin',
			cache: 'no-store'
		});
	} catch (cause) {
		if (signal?.aborted) throw signal.reason ?? cause;
		throw new ImportsOfflineError({ cause });
	}
	if (!response.ok || !response.body) {
		await response.body?.cancel().catch(() => {});
		if (response.status === 401) throw new ImportsSignedOutError();
		// 400 is an id this server never handed out (a restarted server): as good as gone.
		if (response.status === 404 || response.status === 400) throw new ImportJobGoneError();
		throw new ImportsOfflineError();
	}
	try {
		for await (const message of readSse(response.body, {
			lastEventId: String(lastEventId ?? '')
		})) {
			const id = Number(message.id);
			const data = await openJobEvent({
				recipient: keyPair,
				binding: { jobId, id: message.id, event: message.event },
				sealed: message.data
			});
			yield { id, event: ImportEvent.parse({ event: message.event, data }) };
		}
	} catch (cause) {
		if (signal?.aborted) throw signal.reason ?? cause;
		// A cut connection surfaces as a TypeError from the body's reader.
		if (cause instanceof TypeError) throw new ImportsOfflineError({ cause });
		throw cause;
	}
}
