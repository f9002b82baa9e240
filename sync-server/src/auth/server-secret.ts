import { randomBytes } from 'node:crypto';
import { asService } from '../store/transaction-as.ts';
import type { Store } from '../store/store.ts';

const NAME = 'auth';

/**
 * The secret behind decoys and rate-limit bucket names when AUTH_SECRET is unset: made once and
 * kept in charta.server_secrets, so decoys stay the same across restarts and every instance on
 * the database shares it. `on conflict do nothing` lets two instances starting together agree.
 */
export async function loadServerSecret(store: Store): Promise<Uint8Array> {
	return asService(store, async (tx) => {
		await tx.query(
			`insert into charta.server_secrets (name, value) values ($1, $2) on conflict (name) do nothing`,
			[NAME, randomBytes(32)]
		);
		const [row] = await tx.query<{ value: Uint8Array }>(
			`select value from charta.server_secrets where name = $1`,
			[NAME]
		);
		return new Uint8Array(row!.value);
	});
}
