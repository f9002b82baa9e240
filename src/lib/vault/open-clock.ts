import { createClock, isValidNodeId, newNodeId, type Clock } from '../hlc/index.ts';
import type { UserDb } from '../db/index.ts';

export const NODE_ID_SETTING = 'hlcNodeId';

// One HLC node id per device and user, kept in settings. Tabs share it safely: writes to one
// record are serialised through the database and each stamps after the record's newest stamp.
export async function openClock({ db, now }: { db: UserDb; now?: () => number }): Promise<Clock> {
	const nodeId = await db.transaction('rw', db.settings, async () => {
		const stored = (await db.settings.get(NODE_ID_SETTING))?.value;
		if (typeof stored === 'string' && isValidNodeId(stored)) return stored;
		const created = newNodeId();
		await db.settings.put({ key: NODE_ID_SETTING, value: created });
		return created;
	});
	return createClock({ nodeId, now });
}
