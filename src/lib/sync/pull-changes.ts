import type { UserDb } from '../db/index.ts';
import type { Clock } from '../hlc/index.ts';
import { ApiRequestError } from '../http/api-errors.ts';
import type { VaultCrypto } from '../vault/index.ts';
import { applyChanges, type ApplySummary } from './apply-changes.ts';
import type { ProfileKeyRing } from './profile-key-ring.ts';
import type { SyncApi } from './sync-api.ts';
import { CURSOR_SETTING, readCursor } from './sync-settings.ts';

// Pulls from the stored cursor until the server has no more, applying each page in its own
// transaction together with the cursor that follows it.
export async function pullChanges({
	db,
	api,
	limit = 500,
	...apply
}: {
	db: UserDb;
	api: Pick<SyncApi, 'pull'>;
	crypto: VaultCrypto;
	keys: ProfileKeyRing;
	clock: Clock;
	now: () => number;
	limit?: number;
}): Promise<ApplySummary> {
	const total: ApplySummary = { written: 0, undecryptable: 0, conflicted: [], clear: [] };
	let resetOnce = false;
	for (;;) {
		const cursor = await readCursor(db);
		let page;
		try {
			page = await api.pull({ cursor, limit });
		} catch (error) {
			// A cursor the server no longer accepts (another server version, a damaged setting):
			// start from the beginning once; merging is idempotent, so re-applying costs only time.
			if (error instanceof ApiRequestError && error.status === 400 && cursor && !resetOnce) {
				resetOnce = true;
				await db.settings.delete(CURSOR_SETTING);
				continue;
			}
			throw error;
		}
		const summary = await applyChanges({
			db,
			...apply,
			changes: page.changes,
			cursor: page.cursor
		});
		total.written += summary.written;
		total.undecryptable += summary.undecryptable;
		total.conflicted.push(...summary.conflicted);
		total.clear.push(...summary.clear);
		if (!page.hasMore) return total;
	}
}
