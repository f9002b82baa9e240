-- Built-in accounts and server-side sessions (issue 3, item 2).
--
-- Everything lives in the `charta` schema, which Supabase's Data API does not expose: these rows
-- are only ever read by the sync-server. The server runs its auth queries as `service_role` (no
-- session exists yet at sign-up or login) and every other request as `authenticated` with the
-- caller's claims, so the policies below are a second wall behind the server's own checks.
--
-- Nothing stored here opens anything: Argon2id hashes of the auth key and of the recovery auth key
-- (both already HKDF outputs of secrets that never leave the device), the public key, the private
-- key wrapped twice, and SHA-256 hashes of session tokens.

-- The server's migration runner creates this schema for its ledger; `supabase db push` does not.
create schema if not exists charta;

create table charta.users (
	id uuid primary key default gen_random_uuid(),
	-- The API lower-cases emails (ASCII only, as the zod email check allows), so `unique` is
	-- case-insensitive in practice; the check keeps other writers honest.
	email text not null unique check (email = lower(email) and length(email) <= 254),
	auth_key_hash text not null check (auth_key_hash like '$argon2id$%'),
	kdf jsonb not null check (jsonb_typeof(kdf) = 'object'),
	public_key jsonb not null check (jsonb_typeof(public_key) = 'object'),
	private_key_wrapped_by_kek bytea not null,
	private_key_wrapped_by_recovery bytea not null,
	recovery_auth_hash text not null check (recovery_auth_hash like '$argon2id$%'),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now()
);

create table charta.sessions (
	id uuid primary key default gen_random_uuid(),
	-- SHA-256 of the 32-byte cookie token. A copy of this table lets nobody log in.
	token_hash bytea not null unique check (octet_length(token_hash) = 32),
	user_id uuid not null references charta.users (id) on delete cascade,
	remember_device boolean not null,
	created_at timestamptz not null default now(),
	last_seen_at timestamptz not null default now(),
	expires_at timestamptz not null,
	revoked_at timestamptz
);
create index sessions_user_id_live on charta.sessions (user_id) where revoked_at is null;

-- Fixed-window counters shared by every server instance. `bucket` is an HMAC of the action and the
-- email or IP address, so neither appears here in the clear.
create table charta.rate_limits (
	bucket text primary key,
	window_start timestamptz not null,
	hits integer not null check (hits >= 0)
);

-- The secret behind the deterministic decoys (prelogin, recovery/start) when AUTH_SECRET is unset:
-- generated once, so decoys stay the same across restarts and across instances.
create table charta.server_secrets (
	name text primary key,
	value bytea not null check (octet_length(value) >= 32),
	created_at timestamptz not null default now()
);

alter table charta.users enable row level security;
alter table charta.sessions enable row level security;
alter table charta.rate_limits enable row level security;
alter table charta.server_secrets enable row level security;

-- service_role carries BYPASSRLS on Supabase and in our shim; these policies say the same thing
-- explicitly, so a service_role created elsewhere without BYPASSRLS still works.
create policy users_service_role on charta.users
	for all to service_role using (true) with check (true);
create policy sessions_service_role on charta.sessions
	for all to service_role using (true) with check (true);
create policy rate_limits_service_role on charta.rate_limits
	for all to service_role using (true) with check (true);
create policy server_secrets_service_role on charta.server_secrets
	for all to service_role using (true) with check (true);

-- A signed-in user sees their own account row and their own sessions; nobody else's, and no writes.
create policy users_select_own on charta.users
	for select to authenticated using (id = auth.uid());
create policy sessions_select_own on charta.sessions
	for select to authenticated using (user_id = auth.uid());

grant usage on schema charta to service_role, authenticated;

grant select, insert, update, delete on charta.users, charta.sessions to service_role;
grant select, insert, update, delete on charta.rate_limits to service_role;
grant select, insert on charta.server_secrets to service_role;

-- Column grants: even their own verifier hashes and session token hashes stay out of reach of
-- `authenticated`, since nothing a signed-in request does needs them.
grant select (
	id, email, kdf, public_key, private_key_wrapped_by_kek, private_key_wrapped_by_recovery,
	created_at, updated_at
) on charta.users to authenticated;
grant select (
	id, user_id, remember_device, created_at, last_seen_at, expires_at, revoked_at
) on charta.sessions to authenticated;
