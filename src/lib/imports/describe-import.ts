import type { ImportRow } from '../db/index.ts';

export interface ImportView {
	// What the list says, e.g. "Uploading 40 %".
	text: string;
	// For the progress bar: a number while there is a measure, null for "working, no measure".
	percent: number | null;
	tone: 'waiting' | 'working' | 'ready' | 'done' | 'failed';
}

/** One import's line in the list. `online`: whether the page can reach the network now. */
export function describeImport(
	row: Pick<ImportRow, 'state' | 'percent' | 'error'>,
	{ online }: { online: boolean }
): ImportView {
	switch (row.state) {
		case 'queued':
			return {
				text: online ? 'Queued' : 'Queued — runs when Charta is back online',
				percent: null,
				tone: 'waiting'
			};
		case 'uploading':
			return { text: `Uploading ${row.percent} %`, percent: row.percent, tone: 'working' };
		case 'extracting':
			return { text: `Extracting ${row.percent} %`, percent: row.percent, tone: 'working' };
		case 'ready':
			return { text: 'Ready for review', percent: null, tone: 'ready' };
		case 'accepted':
			return { text: 'Accepted', percent: null, tone: 'done' };
		case 'failed':
			return {
				text: `Failed — ${row.error?.message ?? 'the import could not be finished.'}`,
				percent: null,
				tone: 'failed'
			};
	}
}

// While locked the worker holds no keys: what the app says about imports that wait for them.
export function describeWaiting(count: number): string {
	return count === 1
		? 'A report waits to be imported — unlock Charta to continue.'
		: `${count} reports wait to be imported — unlock Charta to continue.`;
}

/** The profile page's one line about its imports, e.g. "1 queued · 2 ready for review"; null if none. */
export function summarizeImports(rows: readonly Pick<ImportRow, 'state'>[]): string | null {
	const count = (state: ImportRow['state']) => rows.filter((row) => row.state === state).length;
	const working = count('uploading') + count('extracting');
	const parts = [
		count('queued') && `${count('queued')} queued`,
		working && `${working} importing`,
		count('ready') && `${count('ready')} ready for review`,
		count('failed') && `${count('failed')} failed`
	].filter(Boolean);
	return parts.length > 0 ? parts.join(' · ') : null;
}
