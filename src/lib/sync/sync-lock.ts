// One tab syncs at a time: a Web Lock where the browser has them (all current ones, 2026), else a
// lock within this JavaScript realm (Node tests, old browsers), so one client's calls never
// overlap either.
type LockManagerLike = {
	request<T>(name: string, callback: () => Promise<T>): Promise<T>;
};

const local = new Map<string, Promise<unknown>>();

export function withSyncLock<T>(
	name: string,
	work: () => Promise<T>,
	locks: LockManagerLike | undefined = (
		globalThis.navigator as { locks?: LockManagerLike } | undefined
	)?.locks
): Promise<T> {
	if (locks) return locks.request(name, work);
	const previous = local.get(name) ?? Promise.resolve();
	const next = previous.catch(() => {}).then(work);
	local.set(name, next);
	void next
		.catch(() => {})
		.finally(() => {
			if (local.get(name) === next) local.delete(name);
		});
	return next;
}
