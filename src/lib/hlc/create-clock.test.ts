import { describe, expect, it } from 'vitest';
import { ClockDriftError, createClock } from './create-clock.ts';
import { compareHlc, decodeHlc, encodeHlc, MAX_HLC_COUNTER } from './hlc.ts';

function manualTime(start: number) {
	let t = start;
	return {
		now: () => t,
		set: (value: number) => {
			t = value;
		}
	};
}

function expectIncreasing(stamps: string[]) {
	for (let i = 1; i < stamps.length; i++) {
		expect(compareHlc(stamps[i - 1]!, stamps[i]!)).toBe(-1);
	}
}

describe('createClock', () => {
	it('follows the wall clock when it moves forward', () => {
		const time = manualTime(1_000);
		const clock = createClock({ nodeId: 'a', now: time.now });
		expect(decodeHlc(clock.tick())).toEqual({ ms: 1_000, counter: 0, node: 'a' });
		time.set(2_000);
		expect(decodeHlc(clock.tick())).toEqual({ ms: 2_000, counter: 0, node: 'a' });
	});

	it('counts a burst of events within one millisecond', () => {
		const clock = createClock({ nodeId: 'a', now: () => 5_000 });
		const stamps = Array.from({ length: 1_000 }, () => clock.tick());
		expectIncreasing(stamps);
		expect(decodeHlc(stamps.at(-1)!)).toEqual({ ms: 5_000, counter: 999, node: 'a' });
	});

	it('stays increasing past the counter limit by borrowing the next millisecond', () => {
		const clock = createClock({
			nodeId: 'a',
			now: () => 5_000,
			last: encodeHlc({ ms: 5_000, counter: MAX_HLC_COUNTER - 1, node: 'a' })
		});
		const stamps = [clock.tick(), clock.tick(), clock.tick()];
		expectIncreasing(stamps);
		expect(decodeHlc(stamps[1]!)).toEqual({ ms: 5_001, counter: 0, node: 'a' });
	});

	it('never goes backwards when the wall clock is set back', () => {
		const time = manualTime(10_000);
		const clock = createClock({ nodeId: 'a', now: time.now });
		const before = clock.tick();
		time.set(3_000);
		const after = [clock.tick(), clock.tick()];
		expectIncreasing([before, ...after]);
		expect(decodeHlc(after[1]!).ms).toBe(10_000);
	});

	it('continues after a stamp persisted before a restart, even with a slower wall clock', () => {
		const last = encodeHlc({ ms: 9_000, counter: 4, node: 'a' });
		const clock = createClock({ nodeId: 'a', now: () => 1_000, last });
		expect(compareHlc(last, clock.tick())).toBe(-1);
	});

	it('orders an event after a received stamp even when this device runs behind (skew)', () => {
		const phone = createClock({ nodeId: 'phone', now: () => 1_000 });
		const tablet = createClock({ nodeId: 'tablet', now: () => 60_000 });
		const fromTablet = tablet.tick();
		const merged = phone.receive(fromTablet);
		const next = phone.tick();
		expectIncreasing([fromTablet, merged, next]);
		expect(decodeHlc(next)).toEqual({ ms: 60_000, counter: 2, node: 'phone' });
	});

	it('takes the larger counter when both clocks sit on the same millisecond', () => {
		const a = createClock({ nodeId: 'a', now: () => 7_000 });
		for (let i = 0; i < 5; i++) a.tick();
		const remote = encodeHlc({ ms: 7_000, counter: 9, node: 'b' });
		expect(decodeHlc(a.receive(remote))).toEqual({ ms: 7_000, counter: 10, node: 'a' });
	});

	it('resets the counter when the wall clock is ahead of everything seen', () => {
		const clock = createClock({ nodeId: 'a', now: () => 50_000 });
		const remote = encodeHlc({ ms: 40_000, counter: 12, node: 'b' });
		expect(decodeHlc(clock.receive(remote))).toEqual({ ms: 50_000, counter: 0, node: 'a' });
	});

	it('refuses a far-future stamp only when a drift limit is set, and stays unchanged', () => {
		const remote = encodeHlc({ ms: 1_000_000, counter: 0, node: 'b' });
		const strict = createClock({ nodeId: 'a', now: () => 1_000, maxDriftMs: 60_000 });
		const before = strict.tick();
		expect(() => strict.receive(remote)).toThrow(ClockDriftError);
		expect(decodeHlc(strict.tick())).toEqual({ ...decodeHlc(before), counter: 1 });

		const lenient = createClock({ nodeId: 'a', now: () => 1_000 });
		expect(decodeHlc(lenient.receive(remote)).ms).toBe(1_000_000);
	});

	it('gives every event on every node a distinct place in one total order', () => {
		const time = manualTime(100);
		const clocks = ['a', 'b', 'c'].map((nodeId) => createClock({ nodeId, now: time.now }));
		const seen = new Set<string>();
		let last = clocks[0]!.tick();
		seen.add(last);
		for (let i = 0; i < 300; i++) {
			if (i % 7 === 0) time.set(100 + i);
			const clock = clocks[i % 3]!;
			const stamp = i % 2 === 0 ? clock.receive(last) : clock.tick();
			expect(seen.has(stamp)).toBe(false);
			seen.add(stamp);
			if (i % 2 === 0) expect(compareHlc(last, stamp)).toBe(-1);
			last = stamp;
		}
		const sorted = [...seen].sort(compareHlc);
		expect(new Set(sorted).size).toBe(sorted.length);
	});
});
