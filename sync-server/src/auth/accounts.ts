import type { EcPublicJwk, KdfParams } from '../../../src/lib/shared/auth.ts';
import type { Queryable } from '../store/store.ts';

/** A row of charta.users as the server uses it; binary columns as bytes. */
export interface Account {
	id: string;
	email: string;
	authKeyHash: string;
	kdf: unknown;
	publicKey: unknown;
	privateKeyWrappedByKek: Uint8Array;
	privateKeyWrappedByRecovery: Uint8Array;
	recoveryAuthHash: string;
}

export class EmailTakenError extends Error {
	constructor() {
		super('An account with this email already exists');
		this.name = 'EmailTakenError';
	}
}

const COLUMNS = `id, email, auth_key_hash, kdf, public_key, private_key_wrapped_by_kek,
	private_key_wrapped_by_recovery, recovery_auth_hash`;

interface AccountRow extends Record<string, unknown> {
	id: string;
	email: string;
	auth_key_hash: string;
	kdf: unknown;
	public_key: unknown;
	private_key_wrapped_by_kek: Uint8Array;
	private_key_wrapped_by_recovery: Uint8Array;
	recovery_auth_hash: string;
}

function toAccount(row: AccountRow): Account {
	return {
		id: row.id,
		email: row.email,
		authKeyHash: row.auth_key_hash,
		kdf: row.kdf,
		publicKey: row.public_key,
		privateKeyWrappedByKek: row.private_key_wrapped_by_kek,
		privateKeyWrappedByRecovery: row.private_key_wrapped_by_recovery,
		recoveryAuthHash: row.recovery_auth_hash
	};
}

// JSON goes in as text and is cast in SQL: postgres.js types a bare `$n::jsonb` parameter as
// jsonb and would JSON-encode our string a second time, storing a JSON string, not an object.

async function findOne(tx: Queryable, where: string, value: string) {
	const [row] = await tx.query<AccountRow>(
		`select ${COLUMNS} from charta.users where ${where} = $1`,
		[value]
	);
	return row ? toAccount(row) : undefined;
}

export const findAccountByEmail = (tx: Queryable, email: string) => findOne(tx, 'email', email);
export const findAccountById = (tx: Queryable, id: string) => findOne(tx, 'id', id);

export async function insertAccount(
	tx: Queryable,
	account: Omit<Account, 'id' | 'kdf' | 'publicKey'> & { kdf: KdfParams; publicKey: EcPublicJwk }
): Promise<Account> {
	const rows = await tx
		.query<AccountRow>(
			`insert into charta.users (email, auth_key_hash, kdf, public_key, private_key_wrapped_by_kek,
				private_key_wrapped_by_recovery, recovery_auth_hash)
			 values ($1, $2, $3::text::jsonb, $4::text::jsonb, $5, $6, $7)
			 returning ${COLUMNS}`,
			[
				account.email,
				account.authKeyHash,
				JSON.stringify(account.kdf),
				JSON.stringify(account.publicKey),
				account.privateKeyWrappedByKek,
				account.privateKeyWrappedByRecovery,
				account.recoveryAuthHash
			]
		)
		.catch((error: unknown) => {
			// 23505 unique_violation: the only unique column a caller controls is the email.
			if ((error as { code?: unknown }).code === '23505') throw new EmailTakenError();
			throw error;
		});
	return toAccount(rows[0]!);
}

/**
 * What a signed-in caller may read of their own row, under RLS as `authenticated`: the columns
 * granted to that role, never the verifier hashes.
 */
export async function findOwnAccountKeys(tx: Queryable, id: string) {
	const [row] = await tx.query<
		Pick<AccountRow, 'id' | 'email' | 'kdf' | 'public_key' | 'private_key_wrapped_by_kek'>
	>(
		`select id, email, kdf, public_key, private_key_wrapped_by_kek from charta.users where id = $1`,
		[id]
	);
	return row
		? {
				id: row.id,
				email: row.email,
				kdf: row.kdf,
				publicKey: row.public_key,
				privateKeyWrappedByKek: row.private_key_wrapped_by_kek
			}
		: undefined;
}

/** Password change and recovery: a new verifier, new KDF salt, the same private key re-wrapped. */
export async function replacePasswordKeys(
	tx: Queryable,
	id: string,
	keys: { authKeyHash: string; kdf: KdfParams; privateKeyWrappedByKek: Uint8Array }
): Promise<Account> {
	const [row] = await tx.query<AccountRow>(
		`update charta.users
		 set auth_key_hash = $2, kdf = $3::text::jsonb, private_key_wrapped_by_kek = $4, updated_at = now()
		 where id = $1
		 returning ${COLUMNS}`,
		[id, keys.authKeyHash, JSON.stringify(keys.kdf), keys.privateKeyWrappedByKek]
	);
	if (!row) throw new Error('The account disappeared during the update');
	return toAccount(row);
}
