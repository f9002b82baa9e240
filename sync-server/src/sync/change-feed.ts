import { z } from 'zod';
import { ChangesEvent } from '../../../src/lib/shared/sync.ts';
import type { Queryable, Store } from '../store/store.ts';

/**
 * The NOTIFY channel a push writes to: payload {"profileId","seq"}, ids only. Sharing writes
 * MembershipEvents to it too, so one LISTEN per process carries both.
 */
export const CHANGES_CHANNEL = 'charta_changes';

/** A user was added to a profile or revoked from it: their open streams re-read that membership. */
export const MembershipEvent = z.strictObject({
	type: z.literal('membership'),
	profileId: z.uuid(),
	userId: z.uuid()
});
export type MembershipEvent = z.infer<typeof MembershipEvent>;

/** Inside the transaction that changed the membership: delivered on commit, never on rollback. */
export async function notifyMembership(
	tx: Queryable,
	{ profileId, userId }: Omit<MembershipEvent, 'type'>
): Promise<void> {
	const event: MembershipEvent = { type: 'membership', profileId, userId };
	await tx.query(`select pg_notify($1, $2)`, [CHANGES_CHANNEL, JSON.stringify(event)]);
}

export interface ChangeFeedSubscriber {
	/** The stream's user: only their MembershipEvents reach onMembership. */
	userId?: string;
	onChange(event: ChangesEvent): void;
	onMembership?(event: MembershipEvent): void;
	/** The feed is closing (server shutdown): end the stream. */
	onClose(): void;
}

export interface ChangeFeed {
	/** Resolves once LISTEN is active, so nothing committed after it is missed. */
	subscribe(subscriber: ChangeFeedSubscriber): Promise<() => void>;
	readonly subscribers: number;
	/** Ends every subscriber and stops listening. */
	close(): Promise<void>;
}

/**
 * One LISTEN per process, fanned out to its SSE connections. Every instance on the database
 * listens, so a push on any of them nudges the clients of all (DESIGN.md "Scale-out").
 */
export function createChangeFeed({ store }: { store: Store }): ChangeFeed {
	const subscribers = new Set<ChangeFeedSubscriber>();
	let listening: Promise<() => Promise<void>> | undefined;
	let closed = false;

	const deliver = (payload: string) => {
		let json: unknown;
		try {
			json = JSON.parse(payload);
		} catch {
			return; // not one of ours
		}
		const membership = MembershipEvent.safeParse(json);
		if (membership.success) {
			const { userId } = membership.data;
			for (const subscriber of subscribers) {
				if (subscriber.userId === userId) subscriber.onMembership?.(membership.data);
			}
			return;
		}
		const change = ChangesEvent.safeParse(json);
		if (!change.success) return;
		for (const subscriber of subscribers) subscriber.onChange(change.data);
	};

	return {
		async subscribe(subscriber) {
			if (closed) throw new Error('The change feed is closed.');
			listening ??= store.listen(CHANGES_CHANNEL, deliver).catch((error: unknown) => {
				listening = undefined;
				throw error;
			});
			await listening;
			subscribers.add(subscriber);
			return () => void subscribers.delete(subscriber);
		},
		get subscribers() {
			return subscribers.size;
		},
		async close() {
			closed = true;
			for (const subscriber of [...subscribers]) subscriber.onClose();
			subscribers.clear();
			const unlisten = await listening?.catch(() => undefined);
			await unlisten?.().catch(() => {});
		}
	};
}
