import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startAutoLock } from './auto-lock.ts';

// A minimal window/document for the listeners; timers are Vitest's fake clock.
class Target extends EventTarget {
	visibilityState: 'visible' | 'hidden' = 'visible';
}

describe('idle auto-lock', () => {
	let win: Target;
	let doc: Target;

	beforeEach(() => {
		vi.useFakeTimers();
		win = new Target();
		doc = new Target();
		vi.stubGlobal('window', win);
		vi.stubGlobal('document', doc);
	});
	afterEach(() => {
		vi.useRealTimers();
		vi.unstubAllGlobals();
	});

	it('locks after the chosen minutes without use, not before', () => {
		const onLock = vi.fn();
		const stop = startAutoLock({ minutes: () => 15, onLock });
		vi.advanceTimersByTime(14 * 60_000);
		expect(onLock).not.toHaveBeenCalled();
		vi.advanceTimersByTime(60_000);
		expect(onLock).toHaveBeenCalledTimes(1);
		stop();
	});

	it('starts counting again at every touch or key press', () => {
		const onLock = vi.fn();
		const stop = startAutoLock({ minutes: () => 5, onLock });
		vi.advanceTimersByTime(4 * 60_000);
		win.dispatchEvent(new Event('pointerdown'));
		vi.advanceTimersByTime(4 * 60_000);
		win.dispatchEvent(new Event('keydown'));
		vi.advanceTimersByTime(4 * 60_000);
		expect(onLock).not.toHaveBeenCalled();
		vi.advanceTimersByTime(60_000);
		expect(onLock).toHaveBeenCalledTimes(1);
		stop();
	});

	it('locks at once when a tab comes back after its timers were frozen past the deadline', () => {
		const onLock = vi.fn();
		let now = 0;
		const stop = startAutoLock({ minutes: () => 1, onLock, now: () => now });
		now = 10 * 60_000; // the tab slept; no timer fired
		doc.dispatchEvent(new Event('visibilitychange'));
		expect(onLock).toHaveBeenCalledTimes(1);
		stop();
	});

	it('removes every listener and timer when stopped', () => {
		const onLock = vi.fn();
		const stop = startAutoLock({ minutes: () => 1, onLock });
		stop();
		vi.advanceTimersByTime(10 * 60_000);
		doc.dispatchEvent(new Event('visibilitychange'));
		expect(onLock).not.toHaveBeenCalled();
	});
});
