import { describeError } from '../account/describe-error.ts';
import { NetworkError } from '../http/api-errors.ts';
import { AttachmentCorruptError, AttachmentNotFoundError } from './errors.ts';

// What the record page says when "Open original" fails: what happened, and what to do.
export function describeAttachmentError(error: unknown): string {
	if (error instanceof NetworkError) {
		return 'The original is not on this device yet, and Charta cannot reach its server to download it. Connect to the internet and try again.';
	}
	if (error instanceof AttachmentNotFoundError) {
		return 'The original has not reached the server yet. It will be here once the device that added it is back online.';
	}
	if (error instanceof AttachmentCorruptError) {
		return `The original cannot be opened: ${error.message}`;
	}
	return describeError(error);
}
