import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { textPdf } from '../../../../tests/helpers/text-pdf.ts';
import { DocumentError } from '../document-error.ts';
import { readPdfText } from '../pdf-text.ts';
import { closePdfReader } from './pdf-reader.ts';

const run = promisify(execFile);
// A fresh Node process compiles the server's modules with tsx first: ≈ 2.5 s with a cold cache on
// an idle machine, past Vitest's default 5 s when the rest of the suite runs beside it.
const CHILD_MS = 60_000;
const root = new URL('../../../../', import.meta.url).pathname;

// In a fresh Node process, as `npm start` runs the server: the server's modules are loaded and a
// PDF is read, and the built-ins of the server's thread must still be the ones Node made. pdf.js's
// legacy build replaces JSON.parse, JSON.stringify and Array.prototype.push (and adds ES2025+
// methods) with core-js polyfills wherever it is loaded; in the server's thread that made every
// request slower (pdf-thread.ts).
const script = `
const watched = { JSON, Array, 'Array.prototype': Array.prototype, Object, Promise, Map,
	'Map.prototype': Map.prototype, 'Set.prototype': Set.prototype, Uint8Array,
	'Uint8Array.prototype': Uint8Array.prototype, 'ArrayBuffer.prototype': ArrayBuffer.prototype };
const snapshot = () => new Map(Object.entries(watched).flatMap(([name, object]) =>
	Reflect.ownKeys(object).map((key) => {
		const { value, get } = Object.getOwnPropertyDescriptor(object, key);
		return [name + '.' + String(key), value ?? get];
	})));
const before = snapshot();
await import('./sync-server/src/app.ts');
const { readPdfText } = await import('./sync-server/src/ai/pdf-text.ts');
const { closePdfReader } = await import('./sync-server/src/ai/pdf/pdf-reader.ts');
const { textPdf } = await import('./tests/helpers/text-pdf.ts');
const pages = await readPdfText({ data: await textPdf({ pages: ['Sodium  140 mmol/L'] }) });
await closePdfReader();
const after = snapshot();
const changed = [...after.keys()].filter((key) => before.get(key) !== after.get(key));
console.log(JSON.stringify({ pages: pages.length, changed }));
`;

describe('the PDF reader thread', () => {
	it(
		'keeps pdf.js and its polyfills out of the server’s thread',
		async () => {
			const { stdout } = await run(
				process.execPath,
				['--import', 'tsx', '--input-type=module', '-e', script],
				{ cwd: root, timeout: CHILD_MS }
			);
			expect(JSON.parse(stdout)).toEqual({ pages: 1, changed: [] });
		},
		CHILD_MS
	);

	it('starts again after it was closed, and the reads waiting on it fail instead of hanging', async () => {
		const data = await textPdf({ pages: ['Potassium  4.1 mmol/L', 'Sodium  140 mmol/L'] });
		const reading = readPdfText({ data });
		await closePdfReader();
		await expect(reading).rejects.toThrow('The PDF reader stopped');
		const pages = await readPdfText({ data });
		expect(pages.map((page) => page.status)).toEqual(['text', 'text']);
		await closePdfReader();
	});

	it('gives up on a PDF that takes too long, and reads the next one in a new thread', async () => {
		const data = await textPdf({ pages: ['Sodium  140 mmol/L'] });
		await closePdfReader();
		// A new thread needs far longer than 1 ms to start and open a PDF: the step times out.
		const slow = await readPdfText({ data, timeoutMs: 1 }).catch((error: unknown) => error);
		expect(slow).toBeInstanceOf(DocumentError);
		expect(slow).toMatchObject({
			problem: 'corrupt-pdf',
			message: expect.stringMatching(/too long/)
		});
		expect(await readPdfText({ data })).toEqual([
			expect.objectContaining({ page: 1, status: 'text' })
		]);
		await closePdfReader();
	});
});
