import type { z } from 'zod';
import { NetworkError, toApiRequestError } from './api-errors.ts';

export interface JsonClientOptions {
	fetch?: typeof globalThis.fetch;
	baseUrl?: string;
}

/**
 * One JSON request to the /v1 API: the body goes out as JSON, a 2xx answer is checked against
 * `schema`, anything else becomes an ApiRequestError, no answer becomes a NetworkError.
 */
export async function requestJson<T extends z.ZodType>(
	{ fetch = globalThis.fetch, baseUrl = '' }: JsonClientOptions,
	method: 'GET' | 'POST',
	path: string,
	schema: T | null,
	body?: unknown
): Promise<z.infer<T>> {
	let response: Response;
	try {
		response = await fetch(`${baseUrl}${path}`, {
			method,
			credentials: 'same-origin',
			cache: 'no-store',
			headers:
				body === undefined
					? { accept: 'application/json' }
					: {
							accept: 'application/json',
							'content-type': 'application/json'
						},
			body: body === undefined ? undefined : JSON.stringify(body)
		});
	} catch (error) {
		throw new NetworkError(error);
	}
	if (!response.ok) throw await toApiRequestError(response);
	if (schema === null) return undefined as z.infer<T>;
	return schema.parse(await response.json());
}
