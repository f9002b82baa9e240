import { fromBase64Url } from '../crypto/index.ts';
import type { OlderProfileKey, ProfileRow } from '../db/index.ts';
import type { ProfileMembership } from '../shared/profiles.ts';

// A profile's keys as GET /v1/profiles lists them for this user (ProfileMembership), as the
// device keeps them. Its earlier key versions stay on the device, wrapped for this user like the
// current one, so what is still sealed under them (an attachment's chunks, a note's history, an
// import's result) opens offline after a rotation too. Records themselves move to the new version.

export function currentWrappedKey(membership: ProfileMembership): Uint8Array | undefined {
	const key = membership.keys.find((k) => k.keyVersion === membership.currentKeyVersion);
	return key && fromBase64Url(key.wrappedProfileKey);
}

// The device's row for a profile it learns of from the server (made on another device, or shared
// with this user); undefined when the list holds no current key for it.
export function profileRowOf(membership: ProfileMembership, now: number): ProfileRow | undefined {
	const wrapped = currentWrappedKey(membership);
	if (!wrapped) return undefined;
	return {
		id: membership.profileId,
		keyVersion: membership.currentKeyVersion,
		wrappedProfileKey: wrapped,
		updatedAt: now,
		deleted: false,
		// As the server says, so a viewer's device shows no edit controls from the start.
		role: membership.role,
		olderKeys: olderKeysOf(membership)
	};
}

// The membership's keys other than its current one, as the server lists them for this user.
export function olderKeysOf(membership: ProfileMembership): OlderProfileKey[] {
	return membership.keys
		.filter((key) => key.keyVersion !== membership.currentKeyVersion)
		.map((key) => ({
			keyVersion: key.keyVersion,
			wrappedProfileKey: fromBase64Url(key.wrappedProfileKey)
		}));
}

// What a row moving to `newVersion` keeps: its older keys, its current one, and `more`, once
// each, never the new version itself, oldest first.
export function keepOlderKeys(
	row: Pick<ProfileRow, 'keyVersion' | 'wrappedProfileKey' | 'olderKeys'>,
	newVersion: number,
	more: readonly OlderProfileKey[] = []
): OlderProfileKey[] {
	const byVersion = new Map<number, OlderProfileKey>();
	const current = { keyVersion: row.keyVersion, wrappedProfileKey: row.wrappedProfileKey };
	for (const key of [...more, ...(row.olderKeys ?? []), current]) {
		if (key.keyVersion !== newVersion) byVersion.set(key.keyVersion, key);
	}
	return [...byVersion.values()].sort((a, b) => a.keyVersion - b.keyVersion);
}
