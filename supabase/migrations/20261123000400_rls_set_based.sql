-- The read and update policies as set tests the planner can use (issue 4, measured by bench/sync).
--
-- `using (charta.is_member(profile_id))` calls a security-definer function for every row, and the
-- planner cannot see through it: a push's duplicate check scanned all of charta.changes, the
-- profile lock scanned every profile, and each pull page read and sorted a profile's whole history
-- (683 ms at 2,001 rows on a scratch copy). Written as `profile_id = any ((select …)::uuid[])`,
-- the caller's profile ids are computed once per statement (an InitPlan) and the condition can use
-- the indexes: the same pull page took 4.7 ms, the duplicate check 0.4 ms instead of 46.
--
-- Same names, same meaning: tests/integration/rls.test.ts checks every cell and every policy.

create function charta.member_profile_ids() returns uuid[]
	language sql stable security definer set search_path = ''
	as $$
		select coalesce(array_agg(profile_id), '{}') from charta.profile_members
		where user_id = auth.uid() and revoked_at is null
	$$;

create function charta.writable_profile_ids() returns uuid[]
	language sql stable security definer set search_path = ''
	as $$
		select coalesce(array_agg(profile_id), '{}') from charta.profile_members
		where user_id = auth.uid() and revoked_at is null and role in ('owner', 'editor')
	$$;

revoke all on function charta.member_profile_ids(), charta.writable_profile_ids() from public;
grant execute on function charta.member_profile_ids(), charta.writable_profile_ids()
	to authenticated;

alter policy profiles_select_member on charta.profiles
	using (id = any ((select charta.member_profile_ids())::uuid[]));
alter policy profiles_update_writer on charta.profiles
	using (id = any ((select charta.writable_profile_ids())::uuid[]))
	with check (id = any ((select charta.writable_profile_ids())::uuid[]));
alter policy members_select_member on charta.profile_members
	using (profile_id = any ((select charta.member_profile_ids())::uuid[]));
alter policy changes_select_member on charta.changes
	using (profile_id = any ((select charta.member_profile_ids())::uuid[]));
