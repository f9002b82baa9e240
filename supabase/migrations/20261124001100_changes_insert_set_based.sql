-- The insert policy on changes as a set test (issue 4, measured by bench/sync on PostgreSQL 15, 2026-11).
--
-- changes_insert_writer called charta.can_write and charta.current_key_version for every row
-- inserted. Neither is inlined (security definer), and can_write calls member_role, whose plan
-- is rebuilt on each call: ≈ 0.5 ms a row, 400 ms of a 500-row push. Written as a set test (the
-- caller's writable profile ids, once per statement) and a key-version lookup on the profiles
-- primary key (read as the caller, under profiles_select_member: a writer is a member), a row
-- costs microseconds. Same meaning: the author is the caller, the caller is a current owner or
-- editor of the profile, and the key version is the profile's current one.
--
-- Same policy names: tests/integration/rls.test.ts checks every cell and every policy.

alter policy changes_insert_writer on charta.changes
	with check (
		author_id = (select auth.uid())
		and profile_id = any ((select charta.writable_profile_ids())::uuid[])
		and key_version = (
			select p.current_key_version from charta.profiles p where p.id = profile_id
		)
	);
