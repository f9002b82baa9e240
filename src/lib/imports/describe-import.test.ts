import { describe, expect, it } from 'vitest';
import { describeImport, describeWaiting, summarizeImports } from './describe-import.ts';

describe('what the imports list says', () => {
	it('says a queued import waits for the connection while offline', () => {
		expect(describeImport({ state: 'queued', percent: 0 }, { online: false }).text).toBe(
			'Queued — runs when Charta is back online'
		);
		expect(describeImport({ state: 'queued', percent: 0 }, { online: true }).text).toBe('Queued');
	});

	it('shows progress while uploading and extracting', () => {
		expect(describeImport({ state: 'uploading', percent: 40 }, { online: true })).toEqual({
			text: 'Uploading 40 %',
			percent: 40,
			tone: 'working'
		});
		expect(describeImport({ state: 'extracting', percent: 75 }, { online: true }).text).toBe(
			'Extracting 75 %'
		);
	});

	it('gives the reason of a failure', () => {
		const failed = describeImport(
			{ state: 'failed', percent: 0, error: { code: 'empty_file', message: 'The file is empty.' } },
			{ online: true }
		);
		expect(failed).toMatchObject({ text: 'Failed — The file is empty.', tone: 'failed' });
	});

	it('counts the reports that wait for unlocking', () => {
		expect(describeWaiting(1)).toBe('A report waits to be imported — unlock Charta to continue.');
		expect(describeWaiting(3)).toBe('3 reports wait to be imported — unlock Charta to continue.');
	});

	it('sums up a profile’s imports in one line', () => {
		expect(summarizeImports([])).toBeNull();
		expect(summarizeImports([{ state: 'accepted' }])).toBeNull();
		expect(
			summarizeImports([
				{ state: 'queued' },
				{ state: 'uploading' },
				{ state: 'ready' },
				{ state: 'ready' },
				{ state: 'failed' }
			])
		).toBe('1 queued · 1 importing · 2 ready for review · 1 failed');
	});
});
