import { describe, expect, it } from 'vitest';
import {
	IMPORTS_DRAIN,
	isImportsDrainMessage,
	isImportsForgetMessage
} from '../src/lib/shared/sw-messages.ts';

describe('import queue messages', () => {
	it('takes keys only in the agreed shape, as CryptoKeys', async () => {
		const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
			'encrypt'
		]);
		const keys = [{ profileId: 'p1', version: 1, key }];
		expect(isImportsDrainMessage({ type: IMPORTS_DRAIN, userId: 'u1', keys })).toBe(true);
		expect(isImportsDrainMessage({ type: IMPORTS_DRAIN, userId: 'u1', keys: [] })).toBe(true);
		// Raw key bytes are never accepted in place of a CryptoKey.
		expect(
			isImportsDrainMessage({
				type: IMPORTS_DRAIN,
				userId: 'u1',
				keys: [{ profileId: 'p1', version: 1, key: new Uint8Array(32) }]
			})
		).toBe(false);
		expect(isImportsDrainMessage({ type: IMPORTS_DRAIN, keys })).toBe(false);
		// Which profiles may use the cloud provider: a list of profile ids, or nothing.
		expect(isImportsDrainMessage({ type: IMPORTS_DRAIN, userId: 'u1', keys, cloud: ['p1'] })).toBe(
			true
		);
		expect(isImportsDrainMessage({ type: IMPORTS_DRAIN, userId: 'u1', keys, cloud: 'p1' })).toBe(
			false
		);
		expect(isImportsDrainMessage(null)).toBe(false);
	});

	it('forgets on the agreed message only', () => {
		expect(isImportsForgetMessage({ type: 'IMPORTS_FORGET' })).toBe(true);
		expect(isImportsForgetMessage('IMPORTS_FORGET')).toBe(false);
	});
});
