import { invalidRequest } from '../invalid-request.ts';
import type { Queryable } from '../store/store.ts';

// The wrapped profile keys a sharing request carries: which ones it must hold, and storing them.
// The server never opens a key; it checks only that every member who needs one gets exactly one.

type Issue = { path: PropertyKey[]; message: string };

/** A wrapped key decoded from base64url by the route, for `userId` at `keyVersion`. */
export interface KeyToStore {
	userId: string;
	keyVersion: number;
	wrappedKey: Buffer;
}

/** 400 unless `versions` holds every key version 1..current exactly once. */
export function checkKeyVersions(versions: number[], current: number) {
	const issues: Issue[] = [];
	const seen = new Set<number>();
	versions.forEach((version, index) => {
		const path = ['keys', index, 'keyVersion'];
		if (version > current) {
			issues.push({ path, message: `is above the profile's current key version (${current})` });
		} else if (seen.has(version)) {
			issues.push({ path, message: 'appears more than once' });
		}
		seen.add(version);
	});
	const missing = Array.from({ length: current }, (_, i) => i + 1).filter((v) => !seen.has(v));
	if (missing.length > 0) {
		issues.push({
			path: ['keys'],
			message: `lacks key version ${missing.join(', ')}: wrap the profile key of every version from 1 to ${current}`
		});
	}
	if (issues.length > 0) throw invalidRequest(issues);
}

/** 400 unless `holders` (the new key's) are exactly the `remaining` members, each once. */
export function checkKeyHolders(holders: string[], remaining: Set<string>, revoked: string) {
	const issues: Issue[] = [];
	const seen = new Set<string>();
	holders.forEach((holder, index) => {
		const path = ['keys', index, 'userId'];
		if (holder === revoked) issues.push({ path, message: 'is the member being revoked' });
		else if (!remaining.has(holder)) {
			issues.push({ path, message: 'is not a current member of the profile' });
		} else if (seen.has(holder)) issues.push({ path, message: 'appears more than once' });
		seen.add(holder);
	});
	const missing = [...remaining].filter((id) => !seen.has(id));
	if (missing.length > 0) {
		issues.push({
			path: ['keys'],
			message: `lacks the new key for member ${missing.join(', ')}: wrap it for every remaining member`
		});
	}
	if (issues.length > 0) throw invalidRequest(issues);
}

/**
 * Inserts wrapped keys. `keepHeld`: a re-added member may still hold versions from before their
 * revocation; those rows stay and the rest are added. (No conflict target: naming one needs
 * SELECT on the row, and member_keys_select_own hides other people's keys even from the owner.)
 */
export async function storeKeys(
	tx: Queryable,
	profileId: string,
	keys: KeyToStore[],
	{ keepHeld }: { keepHeld: boolean }
) {
	await tx.query(
		`insert into charta.profile_member_keys (profile_id, user_id, key_version, wrapped_key, added_by)
		 select $1, (k->>'u')::uuid, (k->>'v')::integer, decode(k->>'w', 'base64'), auth.uid()
		 from jsonb_array_elements($2::text::jsonb) as k
		 ${keepHeld ? 'on conflict do nothing' : ''}`,
		[
			profileId,
			JSON.stringify(
				keys.map((k) => ({ u: k.userId, v: k.keyVersion, w: k.wrappedKey.toString('base64') }))
			)
		]
	);
}
