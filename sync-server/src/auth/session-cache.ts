import type { Store } from '../store/store.ts';
import type { Session } from './sessions.ts';

/** The NOTIFY channel on which charta.sessions announces a session that ended (its id). */
export const SESSIONS_CHANNEL = 'charta_sessions';

export interface SessionCacheOptions {
	store: Store;
	/** How long a looked-up session is trusted without asking the database again; 0 turns caching off. */
	ttlMs?: number;
	maxEntries?: number;
	now?: () => number;
}

export interface SessionCache {
	/**
	 * The live session behind `tokenHash`: from the cache while fresh, otherwise from `lookup`
	 * (which also slides the idle expiry), remembered for `ttlMs`.
	 */
	find(tokenHash: string, lookup: () => Promise<Session | undefined>): Promise<Session | undefined>;
	/** This process just ended these sessions (after their transaction committed). */
	forget(ended: { sessionId: string } | { userId: string; keep?: string }): void;
	readonly size: number;
}

interface Entry {
	session: Session;
	checkedAt: number;
}

/**
 * Sessions looked up in the last few seconds, so an API request does not pay a database
 * transaction for its cookie (a session lookup capped pushes at ~500 req/s, bench/sync).
 *
 * An ended session must not stay usable:
 * - on this process, the routes that end sessions call forget() once their transaction has
 *   committed, before they answer;
 * - on every process, charta.sessions NOTIFYs the id of any session revoked, shortened or
 *   deleted (migration …_session_ended_notify.sql), whoever did it, and each cache LISTENs and
 *   drops it: that arrives within milliseconds of the commit;
 * - nothing is cached until that LISTEN is active, everything is dropped when it resumes after a
 *   lost connection, and no entry is trusted longer than `ttlMs` (5 s), which bounds the rest.
 * A lookup that started before a forget() may finish after it; a generation counter keeps its
 * (possibly stale) answer out of the cache.
 */
export function createSessionCache({
	store,
	ttlMs = 5_000,
	maxEntries = 10_000,
	now = Date.now
}: SessionCacheOptions): SessionCache {
	const entries = new Map<string, Entry>();
	const keyOfSession = new Map<string, string>();
	let generation = 0;
	let listening: Promise<unknown> | undefined;
	let trusted = false;

	const drop = (sessionId: string) => {
		const key = keyOfSession.get(sessionId);
		if (key === undefined) return;
		keyOfSession.delete(sessionId);
		entries.delete(key);
	};
	const clear = () => {
		generation++;
		entries.clear();
		keyOfSession.clear();
	};

	const listen = () => {
		listening ??= store
			.listen(
				SESSIONS_CHANNEL,
				(sessionId) => {
					generation++;
					drop(sessionId);
				},
				{ onRelisten: clear }
			)
			.then(
				() => void (trusted = true),
				// Without the announcements nothing is cached; the next lookup tries again.
				() => void (listening = undefined)
			);
	};

	const remember = (key: string, session: Session) => {
		drop(session.id);
		entries.delete(key);
		if (entries.size >= maxEntries) {
			const [oldest, entry] = entries.entries().next().value!;
			entries.delete(oldest);
			keyOfSession.delete(entry.session.id);
		}
		entries.set(key, { session, checkedAt: now() });
		keyOfSession.set(session.id, key);
	};

	return {
		async find(tokenHash, lookup) {
			if (ttlMs <= 0) return lookup();
			listen();
			const entry = entries.get(tokenHash);
			const at = now();
			if (entry && at - entry.checkedAt < ttlMs && at < entry.session.expiresAt.getTime()) {
				return entry.session;
			}
			const started = generation;
			const session = await lookup();
			if (!session) {
				if (entry) drop(entry.session.id);
			} else if (trusted && generation === started) {
				remember(tokenHash, session);
			}
			return session;
		},
		forget(ended) {
			generation++;
			if ('sessionId' in ended) {
				drop(ended.sessionId);
				return;
			}
			for (const { session } of [...entries.values()]) {
				if (session.userId === ended.userId && session.id !== ended.keep) drop(session.id);
			}
		},
		get size() {
			return entries.size;
		}
	};
}
