import { RejectionCode } from '../../lib/shared/sync.ts';

// The server's reason for refusing a change, in words for the person who made it: what
// happened and what to do. An outbox row keeps the reason as "code: message"
// (src/lib/sync/push-outbox.ts); the codes are RejectionCode in src/lib/shared/sync.ts.
const EXPLANATIONS: Record<RejectionCode, string> = {
	not_a_member:
		'You no longer have access to this patient’s record, so the server did not accept the change. Ask the person who shared it with you to share it again, then retry.',
	read_only:
		'You can view this patient’s record but not change it, so the server did not accept the change. Ask the record’s owner for editing access, then retry.',
	stale_key_version:
		'This patient’s record was locked with a new key (someone’s access was removed) before your change arrived. Retry to send it again under the new key.',
	unknown_profile:
		'The server does not know this patient yet, usually because the patient was added on this device and has not reached the server. Retry; if it still fails, the patient may have been removed.',
	invalid:
		'The server could not read this change as sent (it may be damaged or too large). Retry; if it fails again, open the record, check it and save it again.'
};

export function explainRejection(lastError: string): string {
	const code = RejectionCode.safeParse(lastError.slice(0, lastError.indexOf(':')));
	if (code.success) return EXPLANATIONS[code.data];
	return `The server did not accept this change (${lastError}). Retry; if it still fails, open the record and save it again.`;
}
