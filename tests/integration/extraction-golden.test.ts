import { afterAll, describe, expect, it } from 'vitest';
import { createLocalProvider } from '../../sync-server/src/ai/local/local-provider.ts';
import { closeOcr } from '../../sync-server/src/ai/ocr/ocr-engine.ts';
import { photoRead, runGoldenSet } from '../helpers/golden-extraction.ts';

const ratio = (value: number) => value.toFixed(3);

// The photos are read by OCR once (cached per process) and scored with the rest; their OCR
// time is printed beside their scores.
describe('golden extraction set through the local provider', () => {
	afterAll(() => closeOcr());

	it('reads (LOINC, value, unit) with precision ≥ 0.95 and recall ≥ 0.9, printed per report', async () => {
		const { reports, precision, recall } = await runGoldenSet(createLocalProvider());
		expect(reports.length).toBeGreaterThanOrEqual(12);
		expect(
			reports.filter((report) => report.expected.source === 'photo').length
		).toBeGreaterThanOrEqual(5);
		const lines = await Promise.all(
			reports.map(async ({ name, expected, score }) => {
				const found = score.truePositives + score.falsePositives.length;
				const wanted = score.truePositives + score.missed.length;
				const render = expected.render as { file: string } | undefined;
				const ocr = render ? `  OCR ${(await photoRead(render.file)).seconds.toFixed(1)} s` : '';
				return [
					`${name.padEnd(24)} ${expected.source.padEnd(5)} precision ${ratio(score.truePositives / Math.max(1, found))}  recall ${ratio(score.truePositives / Math.max(1, wanted))}  (${score.truePositives}/${wanted})${ocr}`,
					...score.falsePositives.map((item) => `    extra:  ${item}`),
					...score.missed.map((item) => `    missed: ${item}`)
				].join('\n');
			})
		);
		console.log(
			`${lines.join('\n')}\noverall precision ${ratio(precision)}  recall ${ratio(recall)}`
		);
		expect(precision).toBeGreaterThanOrEqual(0.95);
		expect(recall).toBeGreaterThanOrEqual(0.9);
		// OCR of the photos, a few seconds each on a 2-core machine, happens in this first test.
	}, 240_000);

	it('finds each report date and patient name', async () => {
		const { reports } = await runGoldenSet(createLocalProvider());
		const wrong = reports.flatMap(({ name, expected, extraction }) => [
			...(expected.documentDate !== extraction.documentDate
				? [`${name}: date ${extraction.documentDate} ≠ ${expected.documentDate}`]
				: []),
			...(expected.patientName !== extraction.patientName
				? [`${name}: name ${extraction.patientName} ≠ ${expected.patientName}`]
				: [])
		]);
		expect(wrong).toEqual([]);
	});

	// Text and PDFs flag every result right. In photos a value OCR misread is already counted
	// against recall, and a misread range or flag word may change its flag: of the values read
	// right, at least 90% carry the right flag.
	it('flags results as the report marks them, or from the range', async () => {
		const { reports } = await runGoldenSet(createLocalProvider());
		const wrong: string[] = [];
		const photoWrong: string[] = [];
		let checked = 0;
		let photoChecked = 0;
		for (const { name, expected, extraction } of reports) {
			const photo = expected.source === 'photo';
			for (const want of expected.results) {
				if (want.interpretation === undefined) continue;
				const got = extraction.results.find(
					(result) =>
						result.code.code === want.loinc &&
						(result.value.type === 'quantity'
							? typeof want.value === 'number'
								? Math.abs(result.value.value - want.value) < 1e-9
								: `${result.value.comparator ?? ''}${result.value.value}` === want.value
							: result.value.value.toLowerCase() === String(want.value).toLowerCase())
				);
				if (photo && !got) continue;
				if (photo) photoChecked++;
				else checked++;
				if (got?.interpretation !== want.interpretation) {
					(photo ? photoWrong : wrong).push(
						`${name} ${want.loinc}: ${got?.interpretation} ≠ ${want.interpretation}`
					);
				}
			}
		}
		if (photoWrong.length > 0) console.log(`photo flags off:\n${photoWrong.join('\n')}`);
		expect(checked).toBeGreaterThan(50);
		expect(wrong).toEqual([]);
		expect(photoChecked).toBeGreaterThan(30);
		expect(photoWrong.length / photoChecked).toBeLessThanOrEqual(0.1);
	});
});
