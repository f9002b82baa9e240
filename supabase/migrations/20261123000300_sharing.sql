-- Sharing (issue 4, Build 3): the owner finds a person by email, adds them with the profile key
-- wrapped for them, and revokes members, rotating the key to the next version in the same
-- transaction. The sync-server runs all of it as `authenticated` with the caller's claims, so what
-- follows is the second wall behind its own checks.
--
-- What this adds to …_sync.sql (tests/integration/rls.test.ts checks each):
--   profiles.current_key_version  update: the owner, and only by exactly one (a trigger: a policy
--                                 cannot compare the new row with the old one). Editors keep their
--                                 update of last_seq and still cannot touch the key version.
--   profile_members               re-adding a revoked member (revoked_at back to null) restarts
--                                 their created_at and added_by, so "added" means the latest time
--   charta.find_user_by_email     id, email and public key of one account, for any signed-in
--                                 caller; the server rate-limits it. Nothing else of charta.users.
--   charta.member_accounts        email and public key of every member (revoked ones included) of
--                                 a profile, for its current members only
-- charta.users keeps users_select_own alone: a wider row policy would also expose the column
-- grants of …_accounts.sql (KDF parameters, wrapped private keys) of other people.

grant update (current_key_version) on charta.profiles to authenticated;

create function charta.guard_key_version() returns trigger
	language plpgsql set search_path = ''
	as $$
	begin
		if new.current_key_version <> old.current_key_version + 1 then
			raise exception 'A profile''s key version only rises by one (% to %).',
				old.current_key_version, new.current_key_version
				using errcode = 'check_violation';
		end if;
		-- Request roles only: the server's own login (migrations, tests) is not a member of anything.
		if current_user in ('authenticated', 'anon') and not charta.is_owner(new.id) then
			raise exception 'Only the profile''s owner rotates its key.'
				using errcode = 'insufficient_privilege';
		end if;
		return new;
	end
	$$;

create trigger profiles_key_version_guard
	before update of current_key_version on charta.profiles
	for each row when (new.current_key_version is distinct from old.current_key_version)
	execute function charta.guard_key_version();

create function charta.stamp_readded_member() returns trigger
	language plpgsql set search_path = ''
	as $$
	begin
		new.created_at := now();
		new.added_by := coalesce(auth.uid(), new.added_by);
		return new;
	end
	$$;

create trigger profile_members_readded
	before update of revoked_at on charta.profile_members
	for each row when (old.revoked_at is not null and new.revoked_at is null)
	execute function charta.stamp_readded_member();

-- Security definer, so they read charta.users past users_select_own; each returns three columns
-- and never a verifier, KDF parameters or a wrapped private key.
create function charta.find_user_by_email(lookup_email text)
	returns table (user_id uuid, email text, public_key jsonb)
	language sql stable security definer set search_path = ''
	as $$
		select u.id, u.email, u.public_key from charta.users u
		where u.email = lower(btrim(lookup_email)) and auth.uid() is not null
	$$;

create function charta.member_accounts(profile uuid)
	returns table (user_id uuid, email text, public_key jsonb)
	language sql stable security definer set search_path = ''
	as $$
		select u.id, u.email, u.public_key
		from charta.profile_members m join charta.users u on u.id = m.user_id
		where m.profile_id = profile and charta.is_member(profile)
	$$;

revoke all on function charta.guard_key_version(), charta.stamp_readded_member(),
	charta.find_user_by_email(text), charta.member_accounts(uuid) from public;
grant execute on function charta.find_user_by_email(text), charta.member_accounts(uuid)
	to authenticated;
