-- Each server process keeps the sessions it has just looked up for a few seconds
-- (sync-server/src/auth/session-cache.ts), so a request does not pay a database round trip for
-- its cookie. A session that ends must leave every process's cache at once, however it ended:
-- logout, a password change or recovery (the routes), an administrator's UPDATE, an account
-- deleted with its sessions. So the table announces it itself, on channel `charta_sessions`,
-- with the session's id only; like any NOTIFY it is delivered when the transaction commits.
--
-- Not announced: the idle-expiry slide (last_seen_at and expires_at moving forward), which runs
-- once a minute per active session and ends nothing.

create function charta.notify_session_ended() returns trigger
	language plpgsql set search_path = ''
	as $$
	begin
		perform pg_notify('charta_sessions', old.id::text);
		return null;
	end
	$$;

revoke all on function charta.notify_session_ended() from public;

create trigger sessions_ended_notify
	after update on charta.sessions
	for each row
	when (
		new.revoked_at is distinct from old.revoked_at
		or new.expires_at < old.expires_at
		or new.token_hash <> old.token_hash
		or new.user_id <> old.user_id
		or new.remember_device <> old.remember_device
	)
	execute function charta.notify_session_ended();

create trigger sessions_deleted_notify
	after delete on charta.sessions
	for each row
	execute function charta.notify_session_ended();
