import { ApiErrorBody } from '../shared/api-error.ts';

/** The server answered with its error envelope (or, rarely, something else that is not OK). */
export class ApiRequestError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly details?: unknown,
		readonly retryAfterSeconds?: number
	) {
		super(message);
		this.name = 'ApiRequestError';
	}

	/** Per-field messages from an `invalid_request` answer, keyed by the field's path. */
	get fieldErrors(): Record<string, string> {
		const issues = (this.details as { issues?: { path: unknown[]; message: string }[] })?.issues;
		return Object.fromEntries((issues ?? []).map((issue) => [issue.path.join('.'), issue.message]));
	}
}

/** No answer at all: offline, DNS, server down, timeout. */
export class NetworkError extends Error {
	constructor(cause: unknown) {
		super('Charta could not reach its server. Check the connection and try again.', { cause });
		this.name = 'NetworkError';
	}
}

export async function toApiRequestError(response: Response): Promise<ApiRequestError> {
	const retryAfter = Number(response.headers.get('retry-after'));
	const parsed = ApiErrorBody.safeParse(await response.json().catch(() => null));
	if (!parsed.success) {
		return new ApiRequestError(
			response.status,
			'unexpected_response',
			`The server answered ${response.status} without an explanation. Please try again.`
		);
	}
	const { code, message, details } = parsed.data.error;
	return new ApiRequestError(
		response.status,
		code,
		message,
		details,
		Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined
	);
}
