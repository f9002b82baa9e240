import { createHmac } from 'node:crypto';
import { ApiError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import { asService } from '../store/transaction-as.ts';

interface Policy {
	/** Attempts per window for one email (or user). */
	account: number;
	/** Attempts per window from one address (an IPv4 address or an IPv6 /64). */
	ip: number;
	/** 'failures': a success takes its attempt back, so only failures add up. */
	counts: 'failures' | 'requests';
}

const WINDOW_SECONDS = 15 * 60;

// Chosen so that a clinician mistyping a password, or a clinic of thirty behind one NAT address
// signing in at 8 a.m., never meets them, while guessing stays at 10 tries per account per quarter
// hour (each costing the guesser a 64 MiB Argon2id before it even reaches us).
export const POLICIES = {
	login: { account: 10, ip: 50, counts: 'failures' },
	password: { account: 10, ip: 50, counts: 'failures' },
	'recovery-complete': { account: 10, ip: 50, counts: 'failures' },
	'recovery-start': { account: 10, ip: 50, counts: 'requests' },
	// Every sign-in starts with a prelogin, so it gets more room than login itself.
	prelogin: { account: 30, ip: 300, counts: 'requests' },
	signup: { account: 10, ip: 30, counts: 'requests' },
	// POST /v1/users/lookup tells whether an email has an account, so it is limited like prelogin,
	// per signed-in user; sharing with a whole clinic team at once still fits.
	'user-lookup': { account: 20, ip: 100, counts: 'requests' }
} as const satisfies Record<string, Policy>;

export type RateLimitedAction = keyof typeof POLICIES;

export interface Attempt {
	/** For 'failures' policies: forget the account's failures and take this attempt back. */
	succeeded(): Promise<void>;
}

export interface RateLimiter {
	/** Counts one attempt for the account and the address; over either limit → 429 rate_limited. */
	attempt(action: RateLimitedAction, who: { account: string; ip: string }): Promise<Attempt>;
}

function waitText(seconds: number) {
	if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
	const minutes = Math.ceil(seconds / 60);
	return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

export class RateLimitedError extends ApiError {
	constructor(readonly retryAfterSeconds: number) {
		super(
			429,
			'rate_limited',
			`Too many attempts. Please wait ${waitText(retryAfterSeconds)} and try again.`,
			{ retryAfterSeconds },
			{ 'Retry-After': String(retryAfterSeconds) }
		);
		this.name = 'RateLimitedError';
	}
}

/**
 * Fixed-window counters in charta.rate_limits, so every server instance on the database shares
 * them and a restart forgets nothing. Bucket names are HMACs of action, kind and value: the
 * table holds no email or IP address. One upsert per bucket is atomic, so parallel attempts
 * cannot slip past a limit between a read and a write.
 */
export function createRateLimiter({
	store,
	secret,
	windowSeconds = WINDOW_SECONDS
}: {
	store: Store;
	secret: Uint8Array;
	windowSeconds?: number;
}): RateLimiter {
	const bucketName = (action: string, kind: string, value: string) =>
		createHmac('sha256', secret)
			.update(`charta/v1/rate/${action}/${kind}\0${value}`)
			.digest('base64url');
	let lastPrune = 0;

	return {
		async attempt(action, who) {
			const policy: Policy = POLICIES[action];
			const account = bucketName(action, 'account', who.account);
			const ip = bucketName(action, 'ip', who.ip);
			const counted = await asService(store, async (tx) => {
				if (Date.now() - lastPrune > windowSeconds * 1000) {
					lastPrune = Date.now();
					await tx.query(
						`delete from charta.rate_limits where window_start < now() - make_interval(secs => $1)`,
						[windowSeconds]
					);
				}
				const results = [];
				for (const [bucket, limit] of [
					[account, policy.account],
					[ip, policy.ip]
				] as const) {
					const [row] = await tx.query<{ hits: number; retry_after: number }>(
						`insert into charta.rate_limits as r (bucket, window_start, hits) values ($1, now(), 1)
						 on conflict (bucket) do update set
						   hits = case when r.window_start <= now() - make_interval(secs => $2) then 1
						               else r.hits + 1 end,
						   window_start = case when r.window_start <= now() - make_interval(secs => $2)
						                       then now() else r.window_start end
						 returning hits,
						   ceil(extract(epoch from r.window_start + make_interval(secs => $2) - now()))::int
						     as retry_after`,
						[bucket, windowSeconds]
					);
					results.push({ over: row!.hits > limit, retryAfter: Math.max(1, row!.retry_after) });
				}
				return results;
			});
			const blocked = counted.filter((result) => result.over);
			if (blocked.length > 0) {
				throw new RateLimitedError(Math.max(...blocked.map((result) => result.retryAfter)));
			}
			return {
				async succeeded() {
					if (policy.counts !== 'failures') return;
					await asService(store, async (tx) => {
						await tx.query(`delete from charta.rate_limits where bucket = $1`, [account]);
						await tx.query(
							`update charta.rate_limits set hits = greatest(hits - 1, 0) where bucket = $1`,
							[ip]
						);
					});
				}
			};
		}
	};
}
