import { z } from 'zod';

// Sync protocol v1 (DESIGN.md): the wire shapes shared by the page, the service worker and the
// server. The server orders and stores ciphertext; it never merges or reads it.

const base64url = z.string().regex(/^[A-Za-z0-9_-]*$/, 'must be base64url without padding');
const entityId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, _ or -');

/** An envelope, base64url; 1 MiB of ciphertext at most (attachments travel in chunks). */
export const MAX_CIPHERTEXT_BYTES = 1024 * 1024;
export const Ciphertext = base64url
	.min(24, 'is too short to be an envelope')
	.max(Math.ceil((MAX_CIPHERTEXT_BYTES * 4) / 3), 'is larger than 1 MiB');

export const MutationKind = z.enum([
	'record',
	'note-update',
	'note-snapshot',
	'profile',
	'attachment'
]);
export type MutationKind = z.infer<typeof MutationKind>;

export const Mutation = z.object({
	mutationId: z.uuid(),
	profileId: z.uuid(),
	entityId,
	kind: MutationKind,
	keyVersion: z.number().int().min(1).max(0xffffffff),
	ciphertext: Ciphertext,
	deleted: z.boolean().default(false)
});
export type Mutation = z.infer<typeof Mutation>;

export const MAX_PUSH_MUTATIONS = 500;

export const PushRequest = z.object({
	clientId: z.string().min(1).max(64),
	mutations: z.array(Mutation).min(1).max(MAX_PUSH_MUTATIONS)
});
export type PushRequest = z.input<typeof PushRequest>;

export const RejectionCode = z.enum([
	'not_a_member',
	'read_only',
	'stale_key_version',
	'unknown_profile',
	'invalid'
]);
export type RejectionCode = z.infer<typeof RejectionCode>;

export const PushResult = z.discriminatedUnion('status', [
	z.object({ mutationId: z.uuid(), status: z.literal('applied'), seq: z.number().int() }),
	z.object({ mutationId: z.uuid(), status: z.literal('duplicate'), seq: z.number().int() }),
	z.object({
		mutationId: z.uuid(),
		status: z.literal('rejected'),
		error: z.object({ code: RejectionCode, message: z.string() })
	})
]);
export type PushResult = z.infer<typeof PushResult>;

export const PushResponse = z.object({ results: z.array(PushResult) });
export type PushResponse = z.infer<typeof PushResponse>;

export const Change = Mutation.extend({
	seq: z.number().int(),
	authorId: z.uuid(),
	serverTime: z.iso.datetime({ offset: true })
});
export type Change = z.infer<typeof Change>;

export const PullResponse = z.object({
	changes: z.array(Change),
	/** Opaque; hand it back to continue after the last change returned. */
	cursor: z.string(),
	hasMore: z.boolean()
});
export type PullResponse = z.infer<typeof PullResponse>;

/** SSE `changes` event data: pull now. */
export const ChangesEvent = z.object({ profileId: z.uuid(), seq: z.number().int() });
export type ChangesEvent = z.infer<typeof ChangesEvent>;
