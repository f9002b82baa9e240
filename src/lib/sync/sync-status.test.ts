import { describe, expect, it } from 'vitest';
import { describeState } from './sync-status.ts';

const base = {
	syncing: false,
	online: true,
	reachable: true,
	failed: false,
	pending: 0,
	rejected: 0
};

describe('describeState', () => {
	it('is synced with nothing pending', () => {
		expect(describeState(base)).toBe('synced');
	});
	it('is saved-locally while changes wait', () => {
		expect(describeState({ ...base, pending: 3 })).toBe('saved-locally');
	});
	it('is offline when the device or the server is unreachable, even with changes waiting', () => {
		expect(describeState({ ...base, online: false, pending: 2 })).toBe('offline');
		expect(describeState({ ...base, reachable: false, pending: 2 })).toBe('offline');
	});
	it('is failed when the server refused something', () => {
		expect(describeState({ ...base, rejected: 1, pending: 1 })).toBe('failed');
		expect(describeState({ ...base, failed: true })).toBe('failed');
	});
	it('shows syncing above everything else', () => {
		expect(describeState({ ...base, syncing: true, online: false })).toBe('syncing');
	});
});
