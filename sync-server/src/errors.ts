import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ApiErrorBody } from '../../src/lib/shared/api-error.ts';

export { ApiErrorBody };

/** Throw anywhere in a route; app.onError turns it into the one error envelope. */
export class ApiError extends Error {
	constructor(
		readonly status: ContentfulStatusCode,
		readonly code: string,
		message: string,
		readonly details?: unknown,
		/** Response headers that belong to the error, such as Retry-After on a 429. */
		readonly headers?: Readonly<Record<string, string>>
	) {
		super(message);
		this.name = 'ApiError';
	}
}

export function errorResponse(c: Context, error: ApiError) {
	const body: ApiErrorBody = {
		error: {
			code: error.code,
			message: error.message,
			...(error.details === undefined ? {} : { details: error.details })
		}
	};
	for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value);
	return c.json(body, error.status);
}
