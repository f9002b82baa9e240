import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { openUserDb } from '../db/index.ts';
import { decodeHlc } from '../hlc/index.ts';
import { NODE_ID_SETTING, openClock } from './open-clock.ts';

describe('openClock', () => {
	it('gives a device one lasting node id per user', async () => {
		const db = openUserDb('clock-user');
		const first = await openClock({ db, now: () => 5 });
		const again = await openClock({ db });
		expect(first.nodeId).toMatch(/^[0-9a-f]{16}$/);
		expect(again.nodeId).toBe(first.nodeId);
		expect(decodeHlc(first.tick())).toEqual({ ms: 5, counter: 0, node: first.nodeId });
		expect(await db.settings.get(NODE_ID_SETTING)).toEqual({
			key: NODE_ID_SETTING,
			value: first.nodeId
		});
		db.close();
		await Dexie.delete(db.name);
	});
});
