import { CryptoError, RecoveryKeyError } from '../crypto/index.ts';
import { ApiRequestError, NetworkError } from '../http/api-errors.ts';

/** One place that turns any failure into what the person reads: what happened, what to do. */
export function describeError(error: unknown): string {
	if (error instanceof ApiRequestError) {
		if (error.status === 429) {
			const wait = error.retryAfterSeconds;
			return wait
				? `${error.message} Try again in ${Math.ceil(wait / 60)} minute${wait > 60 ? 's' : ''}.`
				: error.message;
		}
		return error.message;
	}
	if (error instanceof NetworkError) return error.message;
	if (error instanceof RecoveryKeyError) return `That recovery key is not right: ${error.message}`;
	if (error instanceof CryptoError) {
		return 'Charta could not open its keys. Check what you typed and try again.';
	}
	if (error instanceof Error && error.name === 'StorageFullError') {
		return 'This device is out of storage space. Nothing already saved was lost. Free up space, then save again.';
	}
	if (error instanceof Error) return error.message;
	return 'Something went wrong. Please try again.';
}
