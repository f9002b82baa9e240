import { describe, expect, it } from 'vitest';
import { textPdf } from '../../../tests/helpers/text-pdf.ts';
import { DocumentError } from './document-error.ts';
import { readPdfText } from './pdf-text.ts';

async function problemOf(data: Uint8Array, password?: string) {
	const error = await readPdfText({ data, password }).then(
		() => undefined,
		(error: unknown) => error
	);
	expect(error).toBeInstanceOf(DocumentError);
	return (error as DocumentError).problem;
}

describe('readPdfText', () => {
	it('returns each page’s text with its page number, columns kept apart', async () => {
		const data = await textPdf({ pages: ['Sodium      140  mmol/L', 'Potassium   4.1  mmol/L'] });
		const pages = await readPdfText({ data });
		expect(pages).toHaveLength(2);
		expect(pages[0]).toMatchObject({ page: 1, status: 'text' });
		expect(pages[1]).toMatchObject({ page: 2, status: 'text' });
		const text = pages[0]!.status === 'text' ? pages[0]!.text : '';
		expect(text).toMatch(/^Sodium\s{2,}140\s{2,}mmol\/L$/);
	});

	it('reports a page without a text layer as such, and reads the others', async () => {
		const data = await textPdf({
			pages: ['Sodium  140 mmol/L', 'scanned page'],
			imageOnlyPages: [2]
		});
		expect((await readPdfText({ data })).map((page) => page.status)).toEqual([
			'text',
			'no-text-layer'
		]);
	});

	it('leaves the caller’s bytes intact (pdf.js detaches what it is given)', async () => {
		const data = await textPdf({ pages: ['Sodium 140'] });
		await readPdfText({ data });
		expect(data.byteLength).toBeGreaterThan(0);
		await expect(readPdfText({ data })).resolves.toHaveLength(1);
	});

	it('refuses an empty file', async () => {
		expect(await problemOf(new Uint8Array())).toBe('empty-file');
	});

	it('refuses bytes that are not a PDF', async () => {
		expect(await problemOf(new TextEncoder().encode('Sodium 140 mmol/L\n'))).toBe('not-a-pdf');
		expect(await problemOf(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]))).toBe('not-a-pdf');
	});

	it('refuses a damaged PDF', async () => {
		const data = await textPdf({ pages: ['Sodium 140 mmol/L'] });
		expect(await problemOf(data.slice(0, 300))).toBe('corrupt-pdf');
		expect(await problemOf(new TextEncoder().encode('%PDF-1.7\nthis is not a PDF body'))).toBe(
			'corrupt-pdf'
		);
	});

	it('refuses a password-protected PDF without its password, and reads it with it', async () => {
		const data = await textPdf({ pages: ['Sodium  140 mmol/L'], userPassword: 'letmein' });
		expect(await problemOf(data)).toBe('password-protected');
		expect(await problemOf(data, 'wrong')).toBe('password-protected');
		const pages = await readPdfText({ data, password: 'letmein' });
		expect(pages[0]).toMatchObject({ status: 'text' });
	});

	it('hands each page without a text layer to readScan as a rendered picture, one at a time', async () => {
		const data = await textPdf({
			pages: ['Sodium  140 mmol/L', 'scanned page', 'Potassium  4.1 mmol/L', 'another scan'],
			imageOnlyPages: [2, 4]
		});
		const rendered: { page: number; width: number; height: number; ink: boolean }[] = [];
		const progress: string[] = [];
		const pages = await readPdfText({
			data,
			readScan: async (page, picture) => {
				// The grey bars pdfkit drew where the text would be are on the rendered page.
				const pixels = picture.getContext('2d').getImageData(0, 0, picture.width, 200).data;
				const ink = pixels.some((value, index) => index % 4 === 0 && value < 128);
				rendered.push({ page, width: picture.width, height: picture.height, ink });
				return page === 2 ? 'Chloride 101 mmol/L' : undefined;
			},
			onPage: (done, total) => progress.push(`${done}/${total}`)
		});
		expect(rendered.map(({ page, ink }) => ({ page, ink }))).toEqual([
			{ page: 2, ink: true },
			{ page: 4, ink: true }
		]);
		// A4 rendered with the long side at about 2400 pixels, enough for 8 pt print.
		expect(rendered[0]!.height).toBeGreaterThanOrEqual(2390);
		expect(rendered[0]!.width).toBeGreaterThanOrEqual(1690);
		expect(pages.map((page) => page.status)).toEqual(['text', 'ocr', 'text', 'no-text-layer']);
		expect(pages[1]).toEqual({ page: 2, status: 'ocr', text: 'Chloride 101 mmol/L' });
		expect(progress).toEqual(['1/4', '2/4', '3/4', '4/4']);
	});
});
