// Two ways a cloud provider fails, kept apart because the job treats them differently: an answer
// that cannot be used (retrying the same input is unlikely to help) and a request that did not
// get an answer (network, HTTP status, timeout — worth a Retry). Neither message nor cause ever
// carries the model's output or the report, which may be health data.
export type AnswerProblem = 'bad-json' | 'schema-mismatch' | 'truncated' | 'refused' | 'empty';

export class ProviderAnswerError extends Error {
	constructor(
		readonly provider: 'openai' | 'gemini',
		readonly problem: AnswerProblem,
		message: string
	) {
		super(message);
		this.name = 'ProviderAnswerError';
	}
}

export class ProviderRequestError extends Error {
	constructor(
		readonly provider: 'openai' | 'gemini',
		// The HTTP status when the service answered, undefined for network failures and timeouts.
		readonly status: number | undefined,
		message: string
	) {
		super(message);
		this.name = 'ProviderRequestError';
	}
}
