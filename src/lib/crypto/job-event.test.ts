import { describe, expect, it } from 'vitest';
import { openJobEvent, sealJobEvent } from './job-event.ts';
import { generateUserKeyPair } from './key-pair.ts';

describe('job events', () => {
	const binding = { jobId: 'job-1', id: '3', event: 'result' };

	it('opens with the job key what was sealed for it', async () => {
		const pair = await generateUserKeyPair();
		const sealed = await sealJobEvent({
			recipientPublicKey: pair.publicKey,
			binding,
			data: { extraction: { results: [] } }
		});
		expect(sealed).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(await openJobEvent({ recipient: pair, binding, sealed })).toEqual({
			extraction: { results: [] }
		});
	});

	it('refuses an event moved to another job, id or event name', async () => {
		const pair = await generateUserKeyPair();
		const sealed = await sealJobEvent({ recipientPublicKey: pair.publicKey, binding, data: {} });
		for (const moved of [
			{ ...binding, jobId: 'job-2' },
			{ ...binding, id: '4' },
			{ ...binding, event: 'error' }
		]) {
			await expect(openJobEvent({ recipient: pair, binding: moved, sealed })).rejects.toThrow();
		}
	});
});
