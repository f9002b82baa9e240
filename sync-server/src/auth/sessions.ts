import type { Queryable } from '../store/store.ts';
import { hashSessionToken, newSessionToken } from './session-token.ts';

/** A live session, as the routes see it. */
export interface Session {
	id: string;
	userId: string;
	rememberDevice: boolean;
	expiresAt: Date;
}

// A browser-session cookie lives until the browser closes; the server ends it after this much
// idleness, so a tablet left signed in overnight is signed out by morning. "Remember this device"
// is a fixed 30 days from sign-in, the same as the cookie's Max-Age.
const IDLE_TIMEOUT = `interval '12 hours'`;
const REMEMBER_DEVICE = `interval '30 days'`;
// Sliding the idle expiry on every request would make every API call a write; once a minute is
// plenty for a 12-hour timeout.
const SLIDE_AFTER = `interval '1 minute'`;
// Ended sessions are kept a while (for "where am I signed in" and audits), then pruned.
const KEEP_ENDED = `interval '30 days'`;

interface SessionRow extends Record<string, unknown> {
	id: string;
	user_id: string;
	remember_device: boolean;
	expires_at: Date;
}

const toSession = (row: SessionRow): Session => ({
	id: row.id,
	userId: row.user_id,
	rememberDevice: row.remember_device,
	expiresAt: new Date(row.expires_at)
});

export async function createSession(
	tx: Queryable,
	{ userId, rememberDevice }: { userId: string; rememberDevice: boolean }
): Promise<{ token: string; session: Session }> {
	await tx.query(
		`delete from charta.sessions
		 where user_id = $1 and coalesce(revoked_at, expires_at) < now() - ${KEEP_ENDED}`,
		[userId]
	);
	const token = newSessionToken();
	const [row] = await tx.query<SessionRow>(
		`insert into charta.sessions (token_hash, user_id, remember_device, expires_at)
		 values ($1, $2, $3, now() + case when $3 then ${REMEMBER_DEVICE} else ${IDLE_TIMEOUT} end)
		 returning id, user_id, remember_device, expires_at`,
		[hashSessionToken(token), userId, rememberDevice]
	);
	return { token, session: toSession(row!) };
}

/** The live session behind `token`, its idle expiry slid forward; revoked or expired → undefined. */
export async function findSession(tx: Queryable, token: string): Promise<Session | undefined> {
	const [row] = await tx.query<SessionRow & { stale: boolean }>(
		`select id, user_id, remember_device, expires_at, last_seen_at < now() - ${SLIDE_AFTER} as stale
		 from charta.sessions
		 where token_hash = $1 and revoked_at is null and expires_at > now()`,
		[hashSessionToken(token)]
	);
	if (!row) return undefined;
	if (!row.stale) return toSession(row);
	const [slid] = await tx.query<SessionRow>(
		`update charta.sessions
		 set last_seen_at = now(),
		     expires_at = case when remember_device then expires_at else now() + ${IDLE_TIMEOUT} end
		 where id = $1
		 returning id, user_id, remember_device, expires_at`,
		[row.id]
	);
	return toSession(slid ?? row);
}

export async function revokeSession(tx: Queryable, id: string): Promise<void> {
	await tx.query(
		`update charta.sessions set revoked_at = now() where id = $1 and revoked_at is null`,
		[id]
	);
}

/** Every live session of the user, except `keep` (the one making a password change). */
export async function revokeUserSessions(
	tx: Queryable,
	userId: string,
	{ keep }: { keep?: string } = {}
): Promise<void> {
	await tx.query(
		`update charta.sessions set revoked_at = now()
		 where user_id = $1 and revoked_at is null and ($2::uuid is null or id <> $2::uuid)`,
		[userId, keep ?? null]
	);
}
