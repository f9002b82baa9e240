// Why a drain stopped on a job, so the queue can tell "later" from "never" from "again".

// No answer, 5xx or 429: the job stays where it is and the next trigger resumes it.
export class ImportsOfflineError extends Error {
	constructor(options?: { cause?: unknown }) {
		super('Charta could not reach its server; the import waits for the connection.', options);
		this.name = 'ImportsOfflineError';
	}
}

// The server no longer knows the job (expired, or the server restarted): start it again.
export class ImportJobGoneError extends Error {
	constructor() {
		super('The server no longer has this import job.');
		this.name = 'ImportJobGoneError';
	}
}

// 401: the session ended. Nothing is lost; imports wait until the person signs in again.
export class ImportsSignedOutError extends Error {
	constructor() {
		super('Sign in again to continue importing.');
		this.name = 'ImportsSignedOutError';
	}
}

// The worker holds no key for the profile (the page is locked, or has not handed it over).
export class ImportKeyMissingError extends Error {
	constructor(readonly profileId: string) {
		super('Waiting — unlock Charta to continue.');
		this.name = 'ImportKeyMissingError';
	}
}
