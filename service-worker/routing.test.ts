import { describe, expect, it } from 'vitest';
import { isSkipWaitingMessage } from '../src/lib/shared/sw-messages.ts';
import { isAppNavigation } from './routing.ts';

describe('service worker routing', () => {
	it('answers app page loads from the shell, deep links included', () => {
		expect(isAppNavigation('navigate', new URL('https://charta.test/'))).toBe(true);
		expect(isAppNavigation('navigate', new URL('https://charta.test/about?tab=1'))).toBe(true);
		expect(isAppNavigation('navigate', new URL('https://charta.test/v1beta'))).toBe(true);
	});

	it('never answers the API from the shell or a cache', () => {
		expect(isAppNavigation('navigate', new URL('https://charta.test/v1'))).toBe(false);
		expect(isAppNavigation('navigate', new URL('https://charta.test/v1/health'))).toBe(false);
		expect(isAppNavigation('cors', new URL('https://charta.test/about'))).toBe(false);
	});

	it('skips waiting only when the page asks with the agreed message', () => {
		expect(isSkipWaitingMessage({ type: 'SKIP_WAITING' })).toBe(true);
		expect(isSkipWaitingMessage('SKIP_WAITING')).toBe(false);
		expect(isSkipWaitingMessage(null)).toBe(false);
		expect(isSkipWaitingMessage({ type: 'skip_waiting' })).toBe(false);
	});
});
