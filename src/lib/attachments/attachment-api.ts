import { toApiRequestError } from '../http/api-errors.ts';
import { AttachmentStatus } from '../shared/attachments.ts';
import { AttachmentNetworkError, AttachmentRefusedError } from './errors.ts';

// The three attachment routes (docs/API.md "Attachments"). `fetch` is passed in: the page and
// the service worker each hand in their own, and tests hand in one that drops.
export interface AttachmentApiOptions {
	fetch: typeof globalThis.fetch;
	baseUrl?: string;
	signal?: AbortSignal;
}

export interface AttachmentAddress {
	profileId: string;
	attachmentId: string;
}

const path = ({ profileId, attachmentId }: AttachmentAddress) =>
	`/v1/profiles/${encodeURIComponent(profileId)}/attachments/${encodeURIComponent(attachmentId)}`;

async function send(
	{ fetch, baseUrl = '', signal }: AttachmentApiOptions,
	url: string,
	init: RequestInit = {}
): Promise<Response> {
	let response: Response;
	try {
		response = await fetch(`${baseUrl}${url}`, {
			credentials: 'same-origin',
			cache: 'no-store',
			signal,
			...init
		});
	} catch (error) {
		if (signal?.aborted) throw signal.reason ?? error;
		throw new AttachmentNetworkError(error);
	}
	if (response.ok) return response;
	const refusal = await toApiRequestError(response);
	// 5xx and 429 say "later", not "never": the caller retries and resumes.
	if (response.status >= 500 || response.status === 429) {
		throw new AttachmentNetworkError(refusal, response.status);
	}
	throw new AttachmentRefusedError(refusal);
}

// A body cut off mid-way is a dropped connection like any other.
async function read<T>(response: Response, how: (response: Response) => Promise<T>): Promise<T> {
	try {
		return await how(response);
	} catch (error) {
		throw new AttachmentNetworkError(error);
	}
}

export function createAttachmentApi(options: AttachmentApiOptions) {
	return {
		async putChunk(
			address: AttachmentAddress,
			chunk: { index: number; count: number; keyVersion: number; envelope: Uint8Array }
		): Promise<AttachmentStatus> {
			const query = `count=${chunk.count}&keyVersion=${chunk.keyVersion}`;
			const response = await send(options, `${path(address)}/chunks/${chunk.index}?${query}`, {
				method: 'PUT',
				headers: { 'content-type': 'application/octet-stream', accept: 'application/json' },
				body: chunk.envelope as Uint8Array<ArrayBuffer>
			});
			return AttachmentStatus.parse(await read(response, (r) => r.json()));
		},

		// Null when the server holds no chunk of this file yet.
		async status(address: AttachmentAddress): Promise<AttachmentStatus | null> {
			try {
				const response = await send(options, path(address), {
					headers: { accept: 'application/json' }
				});
				return AttachmentStatus.parse(await read(response, (r) => r.json()));
			} catch (error) {
				if (error instanceof AttachmentRefusedError && error.code === 'attachment_not_found') {
					return null;
				}
				throw error;
			}
		},

		async getChunk(address: AttachmentAddress, index: number): Promise<Uint8Array> {
			const response = await send(options, `${path(address)}/chunks/${index}`, {
				headers: { accept: 'application/octet-stream' }
			});
			return new Uint8Array(await read(response, (r) => r.arrayBuffer()));
		}
	};
}

export type AttachmentApi = ReturnType<typeof createAttachmentApi>;
