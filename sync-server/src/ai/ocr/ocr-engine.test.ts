import { createCanvas } from '@napi-rs/canvas';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { closeOcr, ocrImage, OcrTimeout, workerOptions } from './ocr-engine.ts';
import { decodeImage, textRunsDown } from './prepare-image.ts';
import { readImageText } from './read-image-text.ts';

const OCR_MS = 60_000;

// A small printed report, drawn the way up given (quarter turns clockwise).
async function printed(lines: string[], quarter = 0): Promise<Uint8Array> {
	const width = 900;
	const height = 60 + lines.length * 44;
	const sideways = quarter % 2 === 1;
	const canvas = createCanvas(sideways ? height : width, sideways ? width : height);
	const ctx = canvas.getContext('2d');
	ctx.fillStyle = '#fff';
	ctx.fillRect(0, 0, canvas.width, canvas.height);
	ctx.translate(canvas.width / 2, canvas.height / 2);
	ctx.rotate((quarter * Math.PI) / 2);
	ctx.translate(-width / 2, -height / 2);
	ctx.fillStyle = '#111';
	ctx.font = '28px "DejaVu Sans Mono"';
	lines.forEach((line, row) => ctx.fillText(line, 30, 60 + row * 44));
	return new Uint8Array(await canvas.encode('png'));
}

const report = [
	'Sodium        140   mmol/L   133 - 146',
	'Potassium     4.1   mmol/L   3.5 - 5.3',
	'Creatinine    88    umol/L   59 - 104'
];

describe('OCR engine', () => {
	afterAll(() => closeOcr());

	it('loads the English data from node_modules and caches nothing on disk', () => {
		// A folder path, not a URL: tesseract.js then reads the file instead of fetching it.
		expect(isAbsolute(workerOptions.langPath)).toBe(true);
		expect(workerOptions.langPath).toContain(join('node_modules', '@tesseract.js-data', 'eng'));
		expect(statSync(join(workerOptions.langPath, 'eng.traineddata.gz')).size).toBeGreaterThan(1e6);
		expect(workerOptions.cacheMethod).toBe('none');
	});

	it(
		'reads printed lines without touching the network, line by line with confidences',
		async () => {
			const fetchSpy = vi.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('no network'));
			try {
				const result = await ocrImage(await printed(report));
				expect(result.lines.map((line) => line.text.replace(/\s+/g, ' ').trim())).toEqual(
					report.map((line) => line.replace(/\s+/g, ' '))
				);
				expect(result.confidence).toBeGreaterThan(80);
				expect(fetchSpy).not.toHaveBeenCalled();
				expect(existsSync('eng.traineddata')).toBe(false);
			} finally {
				fetchSpy.mockRestore();
			}
		},
		OCR_MS
	);

	it(
		'turns a page upside down or sideways upright before reading it',
		async () => {
			for (const quarter of [1, 2, 3]) {
				const read = await readImageText(await printed(report, quarter));
				expect(read.text, `quarter ${quarter}`).toMatch(/Potassium\s+4\.1\s+mmol\/L/);
				expect((read.quarter + quarter) % 4, `quarter ${quarter}`).toBe(0);
				expect(read.legible).toBe(true);
			}
		},
		3 * OCR_MS
	);

	it(
		'tells which way the lines run on page-sized photos, to try the likely turn first',
		async () => {
			const fixtures = new URL('../../../../tests/fixtures/lab-reports/', import.meta.url);
			const runsDown = async (file: string) =>
				textRunsDown(await decodeImage(new Uint8Array(readFileSync(new URL(file, fixtures)))));
			expect(await runsDown('photo-sideways.jpg')).toBe(true);
			for (const file of [
				'photo-straight.png',
				'photo-askew.jpg',
				'photo-noisy.jpg',
				'photo-webp.webp'
			]) {
				expect(await runsDown(file), file).toBe(false);
			}
		},
		OCR_MS
	);

	it(
		'says a blank picture has nothing legible',
		async () => {
			const read = await readImageText(await printed([]));
			expect(read).toMatchObject({ text: '', legible: false });
		},
		OCR_MS
	);

	it(
		'stops a page that takes too long, and the next page still reads',
		async () => {
			const image = await printed(report);
			await expect(ocrImage(image, { timeoutMs: 1 })).rejects.toBeInstanceOf(OcrTimeout);
			await closeOcr();
			// A new worker is started on demand after a timeout and after close.
			expect((await ocrImage(image)).text).toMatch(/Sodium/);
		},
		OCR_MS
	);
});
