-- Sync protocol v1 (issue 4): patient profiles, their members and wrapped keys, and the change log.
--
-- Everything stays in the `charta` schema beside the accounts: only the sync-server reads it, and
-- it does so as `authenticated` with the caller's claims, so the policies below are a second wall
-- behind the server's own checks. No row holds anything readable: profile keys are wrapped for
-- each member's public key, and changes are AES-GCM envelopes the server never opens.
--
-- Who may do what (tests/integration/rls.test.ts checks every cell, and that every policy matters):
--   profiles             select: current members · insert: anyone signed in, as its creator
--                        update (last_seq only): current owners and editors, to take seqs
--   profile_members      select: current members see the profile's members; everyone sees their
--                        own row (so a revoked member learns it) · insert: the owner adds members,
--                        or the creator of a profile with no members makes themselves its owner
--                        update (role, revoked_at): the owner
--   profile_member_keys  select: your own wrapped keys · insert: the owner
--   changes              select: current members · insert: current owners and editors, as author,
--                        under the profile's current key version
--   Nobody deletes anything, nobody updates a change or a key; `anon` has no grant at all.

create table charta.profiles (
	id uuid primary key,
	created_by uuid not null references charta.users (id),
	-- Raised when a member is revoked and the key rotated; writes under any other version are refused.
	current_key_version integer not null default 1 check (current_key_version >= 1),
	-- The per-profile seq counter: a push takes the row lock (update … returning), so seqs are
	-- handed out strictly increasing and without gaps, and concurrent pushes to one profile queue.
	last_seq bigint not null default 0 check (last_seq >= 0),
	created_at timestamptz not null default now()
);

create table charta.profile_members (
	profile_id uuid not null references charta.profiles (id),
	user_id uuid not null references charta.users (id),
	role text not null check (role in ('owner', 'editor', 'viewer')),
	added_by uuid not null references charta.users (id),
	created_at timestamptz not null default now(),
	-- Kept, not deleted: the member can learn they were revoked, and the audit trail stays.
	revoked_at timestamptz,
	primary key (profile_id, user_id)
);
create index profile_members_user on charta.profile_members (user_id) where revoked_at is null;

-- One row per member and key version: rotation adds a version for the remaining members and
-- leaves the older ones, which a member still needs to read what was written under them.
create table charta.profile_member_keys (
	profile_id uuid not null,
	user_id uuid not null,
	key_version integer not null check (key_version >= 1),
	-- ECIES-wrapped profile key (src/lib/crypto/profile-key.ts); opens only with the member's key.
	wrapped_key bytea not null check (octet_length(wrapped_key) between 16 and 4096),
	added_by uuid not null references charta.users (id),
	created_at timestamptz not null default now(),
	primary key (profile_id, user_id, key_version),
	foreign key (profile_id, user_id) references charta.profile_members (profile_id, user_id)
);

create table charta.changes (
	profile_id uuid not null references charta.profiles (id),
	seq bigint not null check (seq >= 1),
	-- The client's id for the write: a replayed push finds it here and changes nothing.
	mutation_id uuid not null unique,
	author_id uuid not null references charta.users (id),
	kind text not null check (
		kind in ('record', 'note-update', 'note-snapshot', 'profile', 'attachment')
	),
	entity_id text not null check (entity_id ~ '^[A-Za-z0-9_-]{1,64}$'),
	key_version integer not null check (key_version >= 1),
	ciphertext bytea not null check (octet_length(ciphertext) <= 1048576),
	deleted boolean not null default false,
	server_time timestamptz not null default now(),
	primary key (profile_id, seq)
);

-- The policies ask about the caller's membership. Asked from inside a policy on profile_members
-- itself, a plain subquery would recurse into that policy, so these read it as the table owner
-- (security definer), return only a yes/no or a number about the caller, and pin search_path.
create function charta.member_role(profile uuid) returns text
	language sql stable security definer set search_path = ''
	as $$
		select role from charta.profile_members
		where profile_id = profile and user_id = auth.uid() and revoked_at is null
	$$;

create function charta.is_member(profile uuid) returns boolean
	language sql stable security definer set search_path = ''
	as $$ select charta.member_role(profile) is not null $$;

create function charta.can_write(profile uuid) returns boolean
	language sql stable security definer set search_path = ''
	as $$ select coalesce(charta.member_role(profile) in ('owner', 'editor'), false) $$;

create function charta.is_owner(profile uuid) returns boolean
	language sql stable security definer set search_path = ''
	as $$ select coalesce(charta.member_role(profile) = 'owner', false) $$;

create function charta.current_key_version(profile uuid) returns integer
	language sql stable security definer set search_path = ''
	as $$ select current_key_version from charta.profiles where id = profile $$;

-- The first membership of a new profile: only its creator, and only while it has no members.
create function charta.can_claim(profile uuid) returns boolean
	language sql stable security definer set search_path = ''
	as $$
		select exists (select 1 from charta.profiles where id = profile and created_by = auth.uid())
			and not exists (select 1 from charta.profile_members where profile_id = profile)
	$$;

revoke all on function charta.member_role(uuid), charta.is_member(uuid), charta.can_write(uuid),
	charta.is_owner(uuid), charta.current_key_version(uuid), charta.can_claim(uuid) from public;
grant execute on function charta.member_role(uuid), charta.is_member(uuid), charta.can_write(uuid),
	charta.is_owner(uuid), charta.current_key_version(uuid), charta.can_claim(uuid)
	to authenticated;

alter table charta.profiles enable row level security;
alter table charta.profile_members enable row level security;
alter table charta.profile_member_keys enable row level security;
alter table charta.changes enable row level security;

create policy profiles_select_member on charta.profiles
	for select to authenticated using (charta.is_member(id));
create policy profiles_insert_creator on charta.profiles
	for insert to authenticated
	with check (created_by = auth.uid() and current_key_version = 1 and last_seq = 0);
create policy profiles_update_writer on charta.profiles
	for update to authenticated using (charta.can_write(id)) with check (charta.can_write(id));

create policy members_select_member on charta.profile_members
	for select to authenticated using (charta.is_member(profile_id));
create policy members_select_own on charta.profile_members
	for select to authenticated using (user_id = auth.uid());
create policy members_insert_owner on charta.profile_members
	for insert to authenticated
	with check (charta.is_owner(profile_id) and added_by = auth.uid());
create policy members_insert_claim on charta.profile_members
	for insert to authenticated
	with check (
		user_id = auth.uid() and added_by = auth.uid() and role = 'owner'
		and revoked_at is null and charta.can_claim(profile_id)
	);
create policy members_update_owner on charta.profile_members
	for update to authenticated
	using (charta.is_owner(profile_id)) with check (charta.is_owner(profile_id));

create policy member_keys_select_own on charta.profile_member_keys
	for select to authenticated using (user_id = auth.uid());
create policy member_keys_insert_owner on charta.profile_member_keys
	for insert to authenticated
	with check (charta.is_owner(profile_id) and added_by = auth.uid());

create policy changes_select_member on charta.changes
	for select to authenticated using (charta.is_member(profile_id));
create policy changes_insert_writer on charta.changes
	for insert to authenticated
	with check (
		author_id = auth.uid() and charta.can_write(profile_id)
		and key_version = charta.current_key_version(profile_id)
	);

grant select on charta.profiles, charta.profile_members, charta.profile_member_keys, charta.changes
	to authenticated;
grant insert (id, created_by) on charta.profiles to authenticated;
grant update (last_seq) on charta.profiles to authenticated;
grant insert (profile_id, user_id, role, added_by) on charta.profile_members to authenticated;
grant update (role, revoked_at) on charta.profile_members to authenticated;
grant insert (profile_id, user_id, key_version, wrapped_key, added_by)
	on charta.profile_member_keys to authenticated;
grant insert (
	profile_id, seq, mutation_id, author_id, kind, entity_id, key_version, ciphertext, deleted
) on charta.changes to authenticated;
