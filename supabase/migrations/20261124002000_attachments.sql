-- A document's original file (issue 5): sealed chunks of an attachment, uploaded one by one so a
-- dropped upload resumes, and read back by every member of the profile. The server never opens a
-- chunk: each is an AES-GCM envelope under the profile key, bound (as associated data) to the
-- profile, the attachment, its index and the chunk count (src/lib/attachments/chunk-envelope.ts).
--
-- Who may do what (tests/integration/rls.test.ts checks every cell, and that every policy matters):
--   attachment_chunks  select: current members · insert: current owners and editors, as author,
--                      under the profile's current key version
--   Nobody updates or deletes a chunk (a stored chunk is final: PUT again is idempotent);
--   `anon` has no grant at all.

create table charta.attachment_chunks (
	profile_id uuid not null references charta.profiles (id),
	-- Per profile: an id taken in one profile never blocks another profile's upload.
	attachment_id uuid not null,
	chunk_index integer not null check (chunk_index >= 0),
	-- Every chunk of an attachment names the same count (the server checks it under the profile's
	-- row lock); 80 chunks of 256 KiB are the 20 MB import limit (src/lib/shared/attachments.ts).
	chunk_count integer not null check (chunk_count between 1 and 80),
	key_version integer not null check (key_version >= 1),
	-- 256 KiB of plaintext + 33 bytes of envelope at most.
	ciphertext bytea not null check (octet_length(ciphertext) between 33 and 262177),
	author_id uuid not null references charta.users (id),
	created_at timestamptz not null default now(),
	primary key (profile_id, attachment_id, chunk_index),
	check (chunk_index < chunk_count)
);

alter table charta.attachment_chunks enable row level security;

-- Set tests, as in …_rls_set_based.sql and …_changes_insert_set_based.sql: the caller's profile
-- ids once per statement, and the key version from the profiles primary key.
create policy attachment_chunks_select_member on charta.attachment_chunks
	for select to authenticated
	using (profile_id = any ((select charta.member_profile_ids())::uuid[]));
create policy attachment_chunks_insert_writer on charta.attachment_chunks
	for insert to authenticated
	with check (
		author_id = (select auth.uid())
		and profile_id = any ((select charta.writable_profile_ids())::uuid[])
		and key_version = (
			select p.current_key_version from charta.profiles p where p.id = profile_id
		)
	);

grant select on charta.attachment_chunks to authenticated;
grant insert (
	profile_id, attachment_id, chunk_index, chunk_count, key_version, ciphertext, author_id
) on charta.attachment_chunks to authenticated;
