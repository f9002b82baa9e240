import type { OpenAPIHonoOptions } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ApiError, errorResponse } from './errors.ts';

interface Issue {
	path: PropertyKey[];
	message: string;
}

export function invalidRequest(issues: Issue[]) {
	return new ApiError(400, 'invalid_request', 'The request does not match the API.', { issues });
}

/**
 * Every OpenAPIHono in the app takes this as its defaultHook: the hook belongs to the instance
 * and is not inherited through app.route, and without it a failed body goes out as zod's raw
 * error instead of the envelope with the field errors.
 */
export const invalidRequestHook: NonNullable<OpenAPIHonoOptions<Env>['defaultHook']> = (
	result,
	c
) => {
	if (result.success) return;
	return errorResponse(
		c,
		invalidRequest(result.error.issues.map(({ path, message }) => ({ path, message })))
	);
};

/**
 * A body that cannot be read at all, as @hono/zod-openapi 1.6 and hono 4.13 report it before
 * any schema runs: HTTPException 415 "Unsupported Media Type" (not sent as JSON) and 400
 * "Malformed JSON in request body". To the client both are a bad body like any other, so they
 * become invalid_request with one issue at the root; anything else → undefined.
 */
export function unreadableBody(error: unknown): ApiError | undefined {
	if (!(error instanceof HTTPException)) return undefined;
	if (error.status === 415) {
		return invalidRequest([
			{ path: [], message: 'must be JSON, sent with Content-Type: application/json' }
		]);
	}
	if (error.status === 400 && /^Malformed JSON/.test(error.message)) {
		return invalidRequest([{ path: [], message: 'is not valid JSON' }]);
	}
	return undefined;
}
