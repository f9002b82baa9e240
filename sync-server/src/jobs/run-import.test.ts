import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ImportEvent } from '../../../src/lib/shared/imports.ts';
import type { ExtractInput, Provider } from '../ai/provider.ts';
import { runImport } from './run-import.ts';

const photo = new Uint8Array(
	readFileSync(new URL('../../../tests/fixtures/lab-reports/photo-webp.webp', import.meta.url))
);

// A cloud provider stand-in that keeps what it was given and finds nothing.
function cloudProvider(name: 'openai' | 'gemini') {
	const inputs: ExtractInput[] = [];
	const provider: Provider = {
		name,
		async extract(input) {
			inputs.push(input);
			return { provider: name, pages: [{ page: 1, status: 'text' }], results: [] };
		},
		analyse: async function* () {}
	};
	return { provider, inputs };
}

describe('runImport with a cloud provider', () => {
	it('sends a photo as a page image for the vision model, without OCR on the server', async () => {
		const { provider, inputs } = cloudProvider('gemini');
		const events: ImportEvent[] = [];
		const { outcome } = await runImport({
			bytes: photo,
			mediaType: 'image/webp',
			provider,
			emit: (event) => events.push(event)
		});
		expect(outcome).toBe('result');
		expect(inputs).toEqual([
			{ kind: 'images', pages: [{ page: 1, mediaType: 'image/webp', bytes: photo }] }
		]);
		expect(events.map((event) => event.event)).toEqual([
			'progress',
			'progress',
			'progress',
			'progress',
			'result',
			'done'
		]);
	});
});
