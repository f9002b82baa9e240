// Issue 5 extraction targets, local provider, in this Node process:
//   extraction_precision / extraction_recall  (LOINC, value, unit) over the golden set in
//                         tests/fixtures/lab-reports                     ≥ 0.95 / ≥ 0.9
//   import_pdf_local_ms   a 2-page text PDF (the golden multi-page report, generated with pdfkit)
//                         through pdf.js text extraction and the local provider: median of
//                         runs after one warm-up                                     ≤ 2000
// import_pdf_local_cold_ms is the first run (pdf.js and the UCUM table loading).
import { readFileSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';

const RUNS = 21;
const load = (path) => tsImport(path, import.meta.url);

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
};
const ms = (value) => Math.round(value * 10) / 10;
const round3 = (value) => Math.round(value * 1000) / 1000;

export async function run() {
	const { createLocalProvider } = await load('../sync-server/src/ai/local/local-provider.ts');
	const { readPdfText } = await load('../sync-server/src/ai/pdf-text.ts');
	const { textPdf } = await load('../tests/helpers/text-pdf.ts');
	const { runGoldenSet } = await load('../tests/helpers/golden-extraction.ts');

	const provider = createLocalProvider();
	const text = readFileSync(
		new URL('../tests/fixtures/lab-reports/multi-page.txt', import.meta.url),
		'utf8'
	);
	const pdf = await textPdf({ pages: text.split('\f') });
	const importPdf = async () => {
		const started = performance.now();
		const pages = await readPdfText({ data: pdf });
		const extraction = await provider.extract({
			kind: 'text',
			pages: pages.flatMap((page) =>
				page.status === 'text' ? [{ page: page.page, text: page.text }] : []
			)
		});
		if (pages.length !== 2 || extraction.results.length === 0)
			throw new Error('extraction bench: nothing read');
		return performance.now() - started;
	};
	const cold = await importPdf();
	const times = [];
	for (let i = 0; i < RUNS; i++) times.push(await importPdf());

	const golden = await runGoldenSet(provider);
	return {
		extraction_precision: round3(golden.precision),
		extraction_recall: round3(golden.recall),
		extraction_reports: golden.reports.length,
		extraction_results_expected: golden.reports.reduce(
			(sum, report) => sum + report.score.truePositives + report.score.missed.length,
			0
		),
		import_pdf_local_ms: ms(median(times)),
		import_pdf_local_max_ms: ms(Math.max(...times)),
		import_pdf_local_cold_ms: ms(cold),
		import_pdf_bytes: pdf.byteLength
	};
}
