import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
	it('doubles the ceiling with each attempt', () => {
		const top = (attempt: number) => backoffDelay({ attempt, random: () => 0.999999 });
		expect([0, 1, 2, 3].map(top)).toEqual([999, 1999, 3999, 7999]);
	});

	it('caps the delay', () => {
		expect(backoffDelay({ attempt: 40, random: () => 0.999999, maxMs: 60_000 })).toBe(59_999);
	});

	it('spreads retries with jitter but never retries at once', () => {
		expect(backoffDelay({ attempt: 5, random: () => 0 })).toBe(500);
		const delays = new Set(
			[0.1, 0.3, 0.5, 0.7, 0.9].map((r) => backoffDelay({ attempt: 5, random: () => r }))
		);
		expect(delays.size).toBe(5);
		for (const delay of delays) expect(delay).toBeLessThanOrEqual(32_000);
	});
});
