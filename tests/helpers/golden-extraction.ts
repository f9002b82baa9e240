import { readdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Extraction } from '../../src/lib/shared/extraction/extraction.ts';
import { Interpretation } from '../../src/lib/shared/records/observation.ts';
import { closeOcr } from '../../sync-server/src/ai/ocr/ocr-engine.ts';
import { readImageText } from '../../sync-server/src/ai/ocr/read-image-text.ts';
import { readPdfText } from '../../sync-server/src/ai/pdf-text.ts';
import type { ExtractInput, Provider } from '../../sync-server/src/ai/provider.ts';
import { textPdf } from './text-pdf.ts';

// The golden set: tests/fixtures/lab-reports/NAME.txt with NAME.expected.json beside it.
// "source" says how the report reaches the provider: "text" as it is, "pdf" through a PDF
// generated from the text (pages split at form feeds) and pdf.js, and "photo", a picture of
// another report rendered by Chromium (scripts/render-report-photos.mjs; `render.file` names
// the PNG/JPEG/WebP or image-only PDF, `render.from` the report it shows), read by OCR.
export const FIXTURES = new URL('../fixtures/lab-reports/', import.meta.url);

const ExpectedResult = z.object({
	loinc: z.string(),
	value: z.union([z.number(), z.string()]),
	unit: z.string().optional(),
	interpretation: Interpretation.optional()
});
export const GoldenReport = z.object({
	source: z.enum(['text', 'pdf', 'photo']),
	description: z.string(),
	documentDate: z.string().optional(),
	patientName: z.string().optional(),
	render: z.record(z.string(), z.unknown()).optional(),
	results: z.array(ExpectedResult).min(1)
});
export type GoldenReport = z.infer<typeof GoldenReport>;

export type GoldenCase = { name: string; text: string; expected: GoldenReport };

const PhotoRender = z.object({ file: z.string(), from: z.string() });

export function loadGoldenSet(): GoldenCase[] {
	return readdirSync(FIXTURES)
		.filter((file) => file.endsWith('.expected.json'))
		.sort()
		.map((file) => {
			const name = file.replace(/\.expected\.json$/, '');
			const expected = GoldenReport.parse(
				JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8'))
			);
			const textFile = expected.source === 'photo' ? PhotoRender.parse(expected.render).from : name;
			return {
				name,
				text: readFileSync(new URL(`${textFile}.txt`, FIXTURES), 'utf8'),
				expected
			};
		});
}

export async function inputFor({ text, expected }: GoldenCase): Promise<ExtractInput> {
	const pages = text.split('\f');
	if (expected.source === 'text') {
		return { kind: 'text', pages: pages.map((page, index) => ({ page: index + 1, text: page })) };
	}
	if (expected.source === 'pdf') {
		const read = await readPdfText({ data: await textPdf({ pages }) });
		return {
			kind: 'text',
			pages: read.flatMap((page) =>
				page.status === 'text' ? [{ page: page.page, text: page.text }] : []
			),
			noTextPages: read.flatMap((page) => (page.status === 'no-text-layer' ? [page.page] : []))
		};
	}
	return photoInput(PhotoRender.parse(expected.render).file);
}

// OCR is slow (seconds a page), so each picture is read once per process and its time kept.
const photoReads = new Map<string, Promise<{ input: ExtractInput; seconds: number }>>();

export function photoRead(file: string): Promise<{ input: ExtractInput; seconds: number }> {
	let read = photoReads.get(file);
	if (!read) {
		read = (async () => {
			const started = performance.now();
			const bytes = new Uint8Array(readFileSync(new URL(file, FIXTURES)));
			const ocr = async (picture: Parameters<typeof readImageText>[0]) => {
				const page = await readImageText(picture);
				return page.legible ? page.text : undefined;
			};
			let input: ExtractInput;
			if (file.endsWith('.pdf')) {
				const read = await readPdfText({ data: bytes, readScan: (_page, picture) => ocr(picture) });
				input = {
					kind: 'text',
					pages: read.flatMap((page) =>
						page.status === 'no-text-layer' ? [] : [{ page: page.page, text: page.text }]
					),
					noTextPages: read.flatMap((page) => (page.status === 'no-text-layer' ? [page.page] : []))
				};
			} else {
				input = { kind: 'text', pages: [{ page: 1, text: (await ocr(bytes)) ?? '' }] };
			}
			return { input, seconds: (performance.now() - started) / 1000 };
		})();
		photoReads.set(file, read);
	}
	return read;
}

async function photoInput(file: string): Promise<ExtractInput> {
	return (await photoRead(file)).input;
}

// (LOINC, value, unit) — what precision and recall are counted on.
function key(loinc: string, value: string, unit: string | undefined): string {
	return `${loinc} | ${value} | ${unit ?? '-'}`;
}
const number = (value: number) => String(Math.round(value * 1e6) / 1e6);

export function expectedKeys(expected: GoldenReport): string[] {
	return expected.results.map((result) => {
		const value =
			typeof result.value === 'number'
				? number(result.value)
				: /^(<=|>=|<|>)\d/.test(result.value)
					? result.value
					: result.value.toLowerCase();
		return key(result.loinc, value, result.unit);
	});
}

export function extractedKeys(extraction: Extraction): string[] {
	return extraction.results.map(({ code, value }) =>
		value.type === 'quantity'
			? key(code.code, `${value.comparator ?? ''}${number(value.value)}`, value.unit)
			: key(code.code, value.value.toLowerCase(), undefined)
	);
}

export type Score = { truePositives: number; falsePositives: string[]; missed: string[] };

export function score(expected: string[], found: string[]): Score {
	const left = [...expected];
	const falsePositives: string[] = [];
	for (const item of found) {
		const at = left.indexOf(item);
		if (at >= 0) left.splice(at, 1);
		else falsePositives.push(item);
	}
	return { truePositives: found.length - falsePositives.length, falsePositives, missed: left };
}

export type GoldenOutcome = GoldenCase & { extraction: Extraction; score: Score };

export async function runGoldenSet(provider: Provider): Promise<{
	reports: GoldenOutcome[];
	precision: number;
	recall: number;
}> {
	const reports: GoldenOutcome[] = [];
	for (const golden of loadGoldenSet()) {
		const extraction = await provider.extract(await inputFor(golden));
		reports.push({
			...golden,
			extraction,
			score: score(expectedKeys(golden.expected), extractedKeys(extraction))
		});
	}
	// The photos' readings are cached above; the OCR worker thread is not needed again and
	// would keep a script (the bench) from exiting.
	await closeOcr();
	const tp = reports.reduce((sum, report) => sum + report.score.truePositives, 0);
	const fp = reports.reduce((sum, report) => sum + report.score.falsePositives.length, 0);
	const fn = reports.reduce((sum, report) => sum + report.score.missed.length, 0);
	return { reports, precision: tp / Math.max(1, tp + fp), recall: tp / Math.max(1, tp + fn) };
}
