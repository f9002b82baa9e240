import type { ProfileMembership } from '../shared/profiles.ts';
import type { Change, Mutation, PullResponse, PushResult } from '../shared/sync.ts';

// An in-memory stand-in for the sync routes (sync protocol v1, docs/API.md) in the convergence
// tests: push is idempotent by mutationId ("duplicate" on replay), pull pages through one log in
// seq order from an opaque cursor. Pages are kept small so clients resume with hasMore. The
// server only stores and orders ciphertext, as the real one does.
export const SERVER_PAGE_LIMIT = 40;

const AUTHOR = '00000000-0000-4000-8000-000000000001';

export function createServerStandIn() {
	const profiles = new Map<string, string>();
	const log: Change[] = [];
	const seqById = new Map<string, number>();

	const membership = (profileId: string): ProfileMembership => ({
		profileId,
		role: 'owner',
		currentKeyVersion: 1,
		keys: [{ keyVersion: 1, wrappedProfileKey: profiles.get(profileId)! }]
	});

	return {
		log: log as readonly Change[],

		createProfile({
			profileId,
			wrappedProfileKey
		}: {
			profileId: string;
			wrappedProfileKey: string;
		}): ProfileMembership {
			if (!profiles.has(profileId)) profiles.set(profileId, wrappedProfileKey);
			return membership(profileId);
		},

		listProfiles(): { profiles: ProfileMembership[] } {
			return { profiles: [...profiles.keys()].map(membership) };
		},

		push(mutations: readonly Mutation[]): { results: PushResult[] } {
			const results = mutations.map((m): PushResult => {
				const seen = seqById.get(m.mutationId);
				if (seen !== undefined) return { mutationId: m.mutationId, status: 'duplicate', seq: seen };
				const seq = log.length + 1;
				seqById.set(m.mutationId, seq);
				log.push({ ...m, seq, authorId: AUTHOR, serverTime: new Date(0).toISOString() });
				return { mutationId: m.mutationId, status: 'applied', seq };
			});
			return { results };
		},

		pull({ cursor, limit }: { cursor: string; limit: number }): PullResponse {
			const from = Number(cursor || 0);
			const changes = log.slice(from, from + Math.min(limit, SERVER_PAGE_LIMIT));
			const next = from + changes.length;
			return { changes, cursor: String(next), hasMore: next < log.length };
		}
	};
}

export type ServerStandIn = ReturnType<typeof createServerStandIn>;
