import { ApiRequestError, NetworkError } from '../http/api-errors.ts';

// One class per way an attachment can fail, so the page and the service worker can tell "try
// again later" (network) from "this will never work" (refused, corrupt) with one instanceof.
export class AttachmentError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = new.target.name;
	}
}

// Nothing to work with: no such attachment on this device (upload), or neither here nor on the
// server (read).
export class AttachmentNotFoundError extends AttachmentError {
	constructor(readonly attachmentId: string) {
		super('This file is not on this device, and the server does not hold it either.');
	}
}

// A chunk that does not open under its binding (moved, swapped, cut off, tampered with), a chunk
// missing, or a file whose SHA-256 is not the one its record names. Nothing is returned with it.
export class AttachmentCorruptError extends AttachmentError {
	constructor(
		message: string,
		readonly index?: number,
		options?: { cause?: unknown }
	) {
		super(message, options);
	}
}

// Over the import limit (IMPORT_MAX_FILE_BYTES): refused before anything is sealed or stored.
export class AttachmentTooLargeError extends AttachmentError {
	constructor(
		readonly size: number,
		readonly limit: number
	) {
		super(
			`The file is ${Math.ceil(size / 1e6)} MB; files of up to ${Math.floor(limit / 1e6)} MB can be kept.`
		);
	}
}

// storeAttachment with an id this device holds already: a second file never overwrites the first.
export class AttachmentExistsError extends AttachmentError {
	constructor(readonly attachmentId: string) {
		super('A file with this id is stored on this device already.');
	}
}

// No answer, or one that says "later" (5xx, 429): retrying resumes where this stopped.
export class AttachmentNetworkError extends NetworkError {
	constructor(
		cause: unknown,
		readonly status?: number
	) {
		super(cause);
		this.name = 'AttachmentNetworkError';
	}
}

// The server refused (4xx): retrying the same request will not help. `code` is the API's.
export class AttachmentRefusedError extends ApiRequestError {
	constructor(error: ApiRequestError) {
		super(error.status, error.code, error.message, error.details, error.retryAfterSeconds);
		this.name = 'AttachmentRefusedError';
	}
}
