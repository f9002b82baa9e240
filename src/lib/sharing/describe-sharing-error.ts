import { describeError } from '../account/describe-error.ts';
import { ApiRequestError, NetworkError } from '../http/api-errors.ts';
import { KeyChangedError, UnknownAccountError } from './errors.ts';

export const SHARING_OFFLINE =
	'Sharing needs a connection to the Charta server. Connect, then try again; the records on this device stay available.';

// What the members page says about a failed invite or removal, and beside which field.
export function describeSharingError(error: unknown): { field?: 'email'; message: string } {
	if (error instanceof UnknownAccountError) return { field: 'email', message: error.message };
	if (error instanceof KeyChangedError) return { message: error.message };
	if (error instanceof NetworkError) return { message: SHARING_OFFLINE };
	if (error instanceof ApiRequestError) {
		if (error.status === 429 || error.code === 'already_member') {
			return { field: 'email', message: describeError(error) };
		}
		// The server names the field's fault as a predicate ("is your own: share … else").
		const email = error.fieldErrors['email'];
		if (email) return { field: 'email', message: `That email ${email}.` };
	}
	return { message: describeError(error) };
}
