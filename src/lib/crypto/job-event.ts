import { fromBase64Url, toBase64Url } from './base64url.ts';
import { encodeFields } from './canonical-fields.ts';
import { unwrapAsRecipient, wrapForRecipient } from './ecies.ts';
import type { CryptoKey, CryptoKeyPair } from './webcrypto.ts';

// A job's events (imports now, analyses later) are sealed on the server to the public key the
// client sent with the job, so the server keeps only ciphertext and a reconnecting client can
// still read the replay. The associated data binds each event to its job, id and name: an event
// cannot be moved to another job, another place in the stream or another event type.
const associatedData = (binding: JobEventBinding) =>
	encodeFields(['charta', 'v1', 'job-event', binding.jobId, binding.id, binding.event]);

export interface JobEventBinding {
	jobId: string;
	id: string;
	event: string;
}

/** The event's data (JSON) sealed with ECIES, as base64url for the SSE `data:` line. */
export async function sealJobEvent({
	recipientPublicKey,
	binding,
	data
}: {
	recipientPublicKey: CryptoKey;
	binding: JobEventBinding;
	data: unknown;
}): Promise<string> {
	const plaintext = new TextEncoder().encode(JSON.stringify(data));
	try {
		return toBase64Url(
			await wrapForRecipient({
				recipientPublicKey,
				plaintext,
				associatedData: associatedData(binding)
			})
		);
	} finally {
		plaintext.fill(0);
	}
}

/** The data of one sealed event, parsed from JSON; throws if it was not sealed for this binding. */
export async function openJobEvent({
	recipient,
	binding,
	sealed
}: {
	recipient: CryptoKeyPair;
	binding: JobEventBinding;
	sealed: string;
}): Promise<unknown> {
	const plaintext = await unwrapAsRecipient({
		recipient,
		wrapped: fromBase64Url(sealed),
		associatedData: associatedData(binding)
	});
	return JSON.parse(new TextDecoder().decode(plaintext)) as unknown;
}
