import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { createKdfParams } from '../crypto/index.ts';
import { DEVICE_DB_NAME, openDeviceDb } from './device-db.ts';
import { isQuotaExceeded } from './quota-exceeded.ts';

describe('device database', () => {
	it('keeps what offline unlock needs, newest unlock first', async () => {
		const db = openDeviceDb();
		const account = (userId: string, lastUnlockedAt: number) => ({
			userId,
			kdf: createKdfParams(),
			publicKeyJwk: { kty: 'EC' as const, crv: 'P-256' as const, x: 'x', y: 'y' },
			privateKeyWrappedByKek: new Uint8Array([1, 2, 3]),
			lastUnlockedAt
		});
		await db.accounts.bulkPut([account('a', 10), account('b', 20)]);
		const ordered = await db.accounts.orderBy('lastUnlockedAt').reverse().primaryKeys();
		expect(ordered).toEqual(['b', 'a']);
		expect((await db.accounts.get('a'))?.privateKeyWrappedByKek).toEqual(new Uint8Array([1, 2, 3]));
		db.close();
		await Dexie.delete(DEVICE_DB_NAME);
	});
});

describe('isQuotaExceeded', () => {
	it('recognises the DOMException and Dexie’s wrappings of it', () => {
		const quota = new DOMException('full', 'QuotaExceededError');
		expect(isQuotaExceeded(quota)).toBe(true);
		expect(isQuotaExceeded(new Dexie.QuotaExceededError('full', quota))).toBe(true);
		expect(isQuotaExceeded(new Dexie.AbortError('aborted', quota))).toBe(true);
		expect(isQuotaExceeded(new Dexie.AbortError('aborted'))).toBe(false);
		expect(isQuotaExceeded(new Error('other'))).toBe(false);
		expect(isQuotaExceeded(null)).toBe(false);
	});
});
