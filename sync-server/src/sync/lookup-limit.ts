import { createHmac } from 'node:crypto';
import { RateLimitedError } from '../auth/rate-limit.ts';
import type { Store } from '../store/store.ts';
import { asService } from '../store/transaction-as.ts';

/**
 * Lookups per user per window. A lookup tells whether an email has an account, so it is limited
 * like prelogin; sharing with a whole clinic team at once still fits.
 */
export const LOOKUPS_PER_WINDOW = 20;
// The same fixed 15-minute windows as auth/rate-limit.ts, which prunes charta.rate_limits rows
// older than that: a longer window kept in the same table would be pruned away early.
const WINDOW_SECONDS = 15 * 60;

/**
 * POST /v1/users/lookup's limit, per signed-in user, in charta.rate_limits beside the auth limits
 * (one atomic upsert, shared by every instance, bucket named by an HMAC). Over it → 429
 * rate_limited with Retry-After, the same error the auth routes give.
 */
export function createLookupLimiter({
	store,
	secret,
	limit = LOOKUPS_PER_WINDOW
}: {
	store: Store;
	secret: Uint8Array;
	limit?: number;
}) {
	return async function countLookup(userId: string): Promise<void> {
		const bucket = createHmac('sha256', secret)
			.update(`charta/v1/rate/user-lookup/account\0${userId}`)
			.digest('base64url');
		const [row] = await asService(store, (tx) =>
			tx.query<{ hits: number; retry_after: number }>(
				`insert into charta.rate_limits as r (bucket, window_start, hits) values ($1, now(), 1)
				 on conflict (bucket) do update set
				   hits = case when r.window_start <= now() - make_interval(secs => $2) then 1
				               else r.hits + 1 end,
				   window_start = case when r.window_start <= now() - make_interval(secs => $2)
				                       then now() else r.window_start end
				 returning hits,
				   ceil(extract(epoch from r.window_start + make_interval(secs => $2) - now()))::int
				     as retry_after`,
				[bucket, WINDOW_SECONDS]
			)
		);
		if (row!.hits > limit) throw new RateLimitedError(Math.max(1, row!.retry_after));
	};
}
