import { describe, expect, it } from 'vitest';
import { redirectFor } from './route-access.ts';

describe('which pages need the keys', () => {
	it('sends a locked person from any record page to unlock, and a signed-out one to sign in', () => {
		expect(redirectFor('/profiles', 'locked')).toBe('/unlock');
		expect(redirectFor('/profiles/abc/records/new/observation', 'locked')).toBe('/unlock');
		expect(redirectFor('/settings', 'signed-out')).toBe('/signin');
	});

	it('lets anyone open the start, sign-in, unlock, recovery and about pages', () => {
		for (const path of ['/', '/signin', '/signup', '/unlock', '/recover', '/about']) {
			expect(redirectFor(path, 'locked')).toBeNull();
			expect(redirectFor(path, 'signed-out')).toBeNull();
		}
	});

	it('waits while the app is still finding out who is here', () => {
		expect(redirectFor('/profiles', 'starting')).toBeNull();
		expect(redirectFor('/profiles', 'unlocked')).toBeNull();
	});

	it('takes an unlocked person past the unlock page', () => {
		expect(redirectFor('/unlock', 'unlocked')).toBe('/profiles');
	});
});
