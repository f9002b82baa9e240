import type { UserDb } from '../db/index.ts';

// Sync bookkeeping lives in the user db's settings table (ids and opaque cursors only, never
// health data), so no schema version is needed for it.
export const CURSOR_SETTING = 'sync.cursor';
export const LAST_SYNCED_SETTING = 'sync.lastSyncedAt';
const REGISTERED_PREFIX = 'sync.registered.';

export const registeredKey = (profileId: string) => `${REGISTERED_PREFIX}${profileId}`;

export async function readCursor(db: UserDb): Promise<string> {
	const value = (await db.settings.get(CURSOR_SETTING))?.value;
	return typeof value === 'string' ? value : '';
}

// Profiles the server knows: created here and registered, or pulled from the server.
export async function registeredProfiles(db: UserDb): Promise<Set<string>> {
	const rows = await db.settings.where('key').startsWith(REGISTERED_PREFIX).toArray();
	return new Set(rows.map((row) => row.key.slice(REGISTERED_PREFIX.length)));
}
