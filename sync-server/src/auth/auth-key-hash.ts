import { hash, verify } from '@node-rs/argon2';

// OWASP Password Storage Cheat Sheet's Argon2id baseline (m=19 MiB, t=2, p=1). The input is not a
// password but an auth key: the output of the client's 64 MiB Argon2id, so every guess already
// pays that. This hash is what stops a stolen table from being replayed as logins, and keeping it
// cheap (≈ 16 ms here) keeps a burst of logins from starving a 2-core server. The PHC string
// records the parameters, so they can be raised without touching old rows.
const PARAMS = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

// @node-rs/argon2 2.2.1 verifies only UTF-8 passwords ("invalid utf-8 sequence" for raw bytes),
// so the hash is over the key's canonical base64url text: the same 256 bits, in ASCII.
export function hashAuthKey(authKey: string): Promise<string> {
	return hash(authKey, PARAMS);
}

// Made at start-up rather than on first use, so not even the first unknown email answers faster.
const dummy = hash('charta dummy auth key: no account has it', PARAMS);

/**
 * Verifies `authKey` against `stored`; with no stored hash (no such user) it verifies against a
 * dummy of the same cost and answers false, so an unknown email takes as long as a wrong password.
 */
export async function verifyAuthKey(stored: string | undefined, authKey: string): Promise<boolean> {
	const matches = await verify(stored ?? (await dummy), authKey).catch(() => false);
	return stored !== undefined && matches;
}
