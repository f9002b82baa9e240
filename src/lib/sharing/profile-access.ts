import type { UserDb } from '../db/index.ts';
import type { ProfileRole } from '../shared/profiles.ts';

export interface ProfileAccess {
	role: ProfileRole;
	// The owner removed this user; the records on this device stay readable, nothing changes.
	revoked: boolean;
	// Add, edit and delete records.
	canEdit: boolean;
	// Invite and remove members.
	canManage: boolean;
}

// What this user may do with a profile on this device, from its row (kept current by each sync,
// src/lib/sync/follow-key-rotation.ts). Null when the device has no such profile. A row without
// a role predates sharing: it was made here, by its owner.
export async function readProfileAccess(
	db: UserDb,
	profileId: string
): Promise<ProfileAccess | null> {
	const row = await db.profiles.get(profileId);
	if (!row || row.deleted) return null;
	const role = row.role ?? 'owner';
	const revoked = row.revoked ?? false;
	return {
		role,
		revoked,
		canEdit: !revoked && role !== 'viewer',
		canManage: !revoked && role === 'owner'
	};
}

// What an edit page says instead of its form, or null when this user may edit.
export function readOnlyMessage(access: ProfileAccess | null): string | null {
	if (!access || access.canEdit) return null;
	return access.revoked
		? 'You no longer have access to this patient.'
		: 'You can view this patient’s records but not change them.';
}
