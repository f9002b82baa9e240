import { describe, expect, it } from 'vitest';
import { createLocalProvider } from '../../sync-server/src/ai/local/local-provider.ts';
import { runGoldenSet } from '../helpers/golden-extraction.ts';

const ratio = (value: number) => value.toFixed(3);

describe('golden extraction set through the local provider', () => {
	it('reads (LOINC, value, unit) with precision ≥ 0.95 and recall ≥ 0.9, printed per report', async () => {
		const { reports, precision, recall } = await runGoldenSet(createLocalProvider());
		expect(reports.length).toBeGreaterThanOrEqual(12);
		const lines = reports.map(({ name, expected, score }) => {
			const found = score.truePositives + score.falsePositives.length;
			const wanted = score.truePositives + score.missed.length;
			return [
				`${name.padEnd(24)} ${expected.source.padEnd(4)} precision ${ratio(score.truePositives / Math.max(1, found))}  recall ${ratio(score.truePositives / Math.max(1, wanted))}  (${score.truePositives}/${wanted})`,
				...score.falsePositives.map((item) => `    extra:  ${item}`),
				...score.missed.map((item) => `    missed: ${item}`)
			].join('\n');
		});
		console.log(
			`${lines.join('\n')}\noverall precision ${ratio(precision)}  recall ${ratio(recall)}`
		);
		expect(precision).toBeGreaterThanOrEqual(0.95);
		expect(recall).toBeGreaterThanOrEqual(0.9);
	});

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

	it('flags results as the report marks them, or from the range', async () => {
		const { reports } = await runGoldenSet(createLocalProvider());
		const wrong: string[] = [];
		let checked = 0;
		for (const { name, expected, extraction } of reports) {
			for (const want of expected.results) {
				if (want.interpretation === undefined) continue;
				checked++;
				const got = extraction.results.find(
					(result) =>
						result.code.code === want.loinc &&
						(result.value.type === 'quantity'
							? typeof want.value === 'number'
								? Math.abs(result.value.value - want.value) < 1e-9
								: `${result.value.comparator ?? ''}${result.value.value}` === want.value
							: result.value.value.toLowerCase() === String(want.value).toLowerCase())
				);
				if (got?.interpretation !== want.interpretation) {
					wrong.push(`${name} ${want.loinc}: ${got?.interpretation} ≠ ${want.interpretation}`);
				}
			}
		}
		expect(checked).toBeGreaterThan(50);
		expect(wrong).toEqual([]);
	});
});
