import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiRequestError } from '../http/api-errors.ts';
import type { PullResponse } from '../shared/sync.ts';
import { defaultVaultCrypto } from '../vault/index.ts';
import { vaultFixture } from '../vault/test-fixture.ts';
import { createProfileKeyRing } from './profile-key-ring.ts';
import { pullChanges } from './pull-changes.ts';
import { CURSOR_SETTING, readCursor } from './sync-settings.ts';

let fx: Awaited<ReturnType<typeof vaultFixture>>;
beforeEach(async () => {
	fx = await vaultFixture();
});
afterEach(() => fx.cleanup());

function run(pull: (q: { cursor: string; limit: number }) => Promise<PullResponse>) {
	const api = {
		pull,
		listProfiles: async () => ({ profiles: [] })
	};
	const keys = createProfileKeyRing({
		db: fx.db,
		userKeyPair: fx.userKeyPair,
		crypto: defaultVaultCrypto,
		api
	});
	return pullChanges({
		db: fx.db,
		api,
		crypto: defaultVaultCrypto,
		keys,
		clock: fx.clock,
		now: () => 0,
		limit: 2
	});
}

describe('pullChanges cursor handling', () => {
	it('starts from the stored cursor and stores each page’s cursor until there is no more', async () => {
		await fx.db.settings.put({ key: CURSOR_SETTING, value: 'c0' });
		const asked: string[] = [];
		await run(async ({ cursor, limit }) => {
			asked.push(`${cursor}/${limit}`);
			const next = `c${asked.length}`;
			return { changes: [], cursor: next, hasMore: asked.length < 3 };
		});
		expect(asked).toEqual(['c0/2', 'c1/2', 'c2/2']);
		expect(await readCursor(fx.db)).toBe('c3');
	});

	it('keeps the cursor of the last page applied when a later page fails', async () => {
		let calls = 0;
		const failing = run(async () => {
			if (++calls === 2) throw new ApiRequestError(503, 'internal', 'down');
			return { changes: [], cursor: 'after-first', hasMore: true };
		});
		await expect(failing).rejects.toThrow('down');
		expect(await readCursor(fx.db)).toBe('after-first');
	});

	it('starts over once from the beginning when the server refuses the stored cursor', async () => {
		await fx.db.settings.put({ key: CURSOR_SETTING, value: 'from-another-server' });
		const asked: string[] = [];
		await run(async ({ cursor }) => {
			asked.push(cursor);
			if (cursor) throw new ApiRequestError(400, 'invalid_request', 'bad cursor');
			return { changes: [], cursor: 'fresh', hasMore: false };
		});
		expect(asked).toEqual(['from-another-server', '']);
		expect(await readCursor(fx.db)).toBe('fresh');
	});

	it('asks for the next page as soon as a page arrives, while that page is still being stored', async () => {
		const storedWhenAsked: string[] = [];
		let calls = 0;
		await run(async () => {
			storedWhenAsked.push(await readCursor(fx.db));
			calls++;
			return { changes: [], cursor: `c${calls}`, hasMore: calls < 3 };
		});
		// Page 2 was asked for before page 1's cursor was stored, and so on.
		expect(storedWhenAsked).toEqual(['', '', 'c1']);
		expect(await readCursor(fx.db)).toBe('c3');
	});
});
