-- The small part of Supabase that our schema relies on: the roles anon, authenticated and
-- service_role, and auth.uid(), auth.jwt() and auth.role() read from the request's JWT claims.
-- On plain PostgreSQL and PGlite this file creates them so the row-level-security policies of later
-- migrations run unchanged. Every statement is guarded, so on a real Supabase project, where all of
-- this exists already, the file changes nothing.
--
-- The sync-server sets the claims per transaction, as PostgREST does:
--   select set_config('request.jwt.claims', '{"sub":"…","role":"authenticated"}', true);
--   set local role authenticated;

do $$
begin
	-- Roles are cluster-wide: another database on the same server may be creating them right now.
	begin
		if not exists (select 1 from pg_roles where rolname = 'anon') then
			create role anon nologin noinherit;
		end if;
	exception when duplicate_object or unique_violation then null;
	end;
	begin
		if not exists (select 1 from pg_roles where rolname = 'authenticated') then
			create role authenticated nologin noinherit;
		end if;
	exception when duplicate_object or unique_violation then null;
	end;
	begin
		if not exists (select 1 from pg_roles where rolname = 'service_role') then
			create role service_role nologin noinherit bypassrls;
		end if;
	exception when duplicate_object or unique_violation then null;
	end;

	-- The server's own login must be able to `set local role` to the request roles. A superuser
	-- (PGlite, a local cluster) already can; Supabase's postgres user is already a member.
	if not (select rolsuper from pg_roles where rolname = current_user) then
		if not pg_has_role(current_user, 'authenticated', 'member') then
			execute format('grant anon, authenticated, service_role to %I', current_user);
		end if;
	end if;

	if not exists (select 1 from pg_namespace where nspname = 'auth') then
		create schema auth;
		grant usage on schema auth to anon, authenticated, service_role;
	end if;

	if to_regprocedure('auth.jwt()') is null then
		create function auth.jwt() returns jsonb
			language sql stable
			as $fn$
				select coalesce(
					nullif(current_setting('request.jwt.claim', true), ''),
					nullif(current_setting('request.jwt.claims', true), '')
				)::jsonb
			$fn$;
		grant execute on function auth.jwt() to anon, authenticated, service_role;
	end if;

	if to_regprocedure('auth.uid()') is null then
		create function auth.uid() returns uuid
			language sql stable
			as $fn$
				select coalesce(
					nullif(current_setting('request.jwt.claim.sub', true), ''),
					nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'
				)::uuid
			$fn$;
		grant execute on function auth.uid() to anon, authenticated, service_role;
	end if;

	if to_regprocedure('auth.role()') is null then
		create function auth.role() returns text
			language sql stable
			as $fn$
				select coalesce(
					nullif(current_setting('request.jwt.claim.role', true), ''),
					nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'
				)::text
			$fn$;
		grant execute on function auth.role() to anon, authenticated, service_role;
	end if;
end
$$;
