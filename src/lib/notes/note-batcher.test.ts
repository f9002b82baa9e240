import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createNoteBatcher } from './note-batcher.ts';

beforeEach(() => {
	vi.useFakeTimers();
});
afterEach(() => {
	vi.useRealTimers();
});

describe('note batcher', () => {
	it('starts a batch after 250 ms without a new update', () => {
		const onBatch = vi.fn();
		const batcher = createNoteBatcher({ onBatch });
		batcher.note();
		vi.advanceTimersByTime(200);
		batcher.note();
		vi.advanceTimersByTime(249);
		expect(onBatch).not.toHaveBeenCalled();
		vi.advanceTimersByTime(1);
		expect(onBatch).toHaveBeenCalledTimes(1);
		expect(batcher.pending).toBe(false);
	});

	it('starts a batch at once on the 50th update, however fast they come', () => {
		const onBatch = vi.fn();
		const batcher = createNoteBatcher({ onBatch });
		for (let i = 0; i < 49; i++) batcher.note();
		expect(onBatch).not.toHaveBeenCalled();
		batcher.note();
		expect(onBatch).toHaveBeenCalledTimes(1);
		batcher.note(60);
		expect(onBatch).toHaveBeenCalledTimes(2);
		vi.advanceTimersByTime(1000);
		expect(onBatch).toHaveBeenCalledTimes(2);
	});

	it('flushes on demand, and does nothing when nothing waits', () => {
		const onBatch = vi.fn();
		const batcher = createNoteBatcher({ onBatch });
		batcher.flush();
		expect(onBatch).not.toHaveBeenCalled();
		batcher.note(3);
		batcher.flush();
		expect(onBatch).toHaveBeenCalledTimes(1);
	});

	it('forgets what waits when cancelled', () => {
		const onBatch = vi.fn();
		const batcher = createNoteBatcher({ onBatch, quietMs: 10 });
		batcher.note();
		batcher.cancel();
		vi.advanceTimersByTime(100);
		expect(onBatch).not.toHaveBeenCalled();
		expect(batcher.pending).toBe(false);
	});
});
