import { ChangesEvent } from '../../../src/lib/shared/sync.ts';
import type { Store } from '../store/store.ts';

/** The NOTIFY channel a push writes to: payload {"profileId","seq"}, ids only. */
export const CHANGES_CHANNEL = 'charta_changes';

export interface ChangeFeedSubscriber {
	onChange(event: ChangesEvent): void;
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
		let event: ChangesEvent;
		try {
			event = ChangesEvent.parse(JSON.parse(payload));
		} catch {
			return; // not one of ours
		}
		for (const subscriber of subscribers) subscriber.onChange(event);
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
