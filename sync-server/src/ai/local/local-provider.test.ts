import { describe, expect, it } from 'vitest';
import { Extraction } from '../../../../src/lib/shared/extraction/extraction.ts';
import { toObservation } from '../../../../src/lib/shared/extraction/to-observation.ts';
import { Observation } from '../../../../src/lib/shared/records/observation.ts';
import { DocumentError } from '../document-error.ts';
import { createLocalProvider } from './local-provider.ts';

const provider = createLocalProvider();
const page = (text: string) => ({ kind: 'text' as const, pages: [{ page: 1, text }] });
const REPORT = [
	'Patient: Jones, Ann     Sample collected: 02/03/2025',
	'Haemoglobin   128   g/L   (115-165)',
	'Potassium     6.3 H mmol/L  (3.5-5.3)',
	'CRP           <5    mg/L  (<5)'
].join('\n');

async function problemOf(promise: Promise<unknown>) {
	const error = await promise.then(
		() => undefined,
		(error: unknown) => error
	);
	expect(error).toBeInstanceOf(DocumentError);
	return (error as DocumentError).problem;
}

describe('the local provider', () => {
	it('returns results that parse as an Extraction, with provenance into the page text', async () => {
		const extraction = await provider.extract(page(REPORT));
		expect(Extraction.parse(extraction)).toEqual(extraction);
		expect(extraction).toMatchObject({ documentDate: '2025-03-02', patientName: 'Jones, Ann' });
		const potassium = extraction.results.find((result) => result.code.code === '2823-3')!;
		expect(REPORT.slice(potassium.provenance.start, potassium.provenance.end)).toBe(
			'Potassium     6.3 H mmol/L  (3.5-5.3)'
		);
		expect(potassium).toMatchObject({ interpretation: 'H', interpretationSource: 'report' });
		expect(potassium.confidence).toBeGreaterThan(0.9);
	});

	it('is deterministic', async () => {
		expect(await provider.extract(page(REPORT))).toEqual(await provider.extract(page(REPORT)));
	});

	it('turns results into Observation records that validate', async () => {
		const extraction = await provider.extract(page(REPORT));
		for (const result of extraction.results) {
			const observation = toObservation(result, { effectiveDateTime: extraction.documentDate! });
			await expect(Observation.parseAsync(observation)).resolves.toBeDefined();
		}
		const crp = extraction.results.find((result) => result.code.code === '1988-5')!;
		expect(toObservation(crp, { effectiveDateTime: '2025-03-02' }).value).toEqual({
			type: 'string',
			value: '<5 mg/L'
		});
	});

	it('refuses empty text', async () => {
		expect(await problemOf(provider.extract(page('')))).toBe('no-text');
		expect(await problemOf(provider.extract(page('  \n\t ')))).toBe('no-text');
	});

	it('finds no results in text that has none', async () => {
		const extraction = await provider.extract(
			page('Dear Dr Smith,\nThank you for seeing Mrs Jones about her potassium.\n12 Sodium Street')
		);
		expect(extraction.results).toEqual([]);
	});

	it('says page images need OCR first', async () => {
		const images = {
			kind: 'images' as const,
			pages: [{ page: 1, mediaType: 'image/png' as const, bytes: new Uint8Array(8) }]
		};
		expect(await problemOf(provider.extract(images))).toBe('unsupported-input');
	});

	it('streams a summary of flagged values and trends', async () => {
		const observation = (value: number, date: string, interpretation?: 'H') => ({
			kind: 'observation' as const,
			id: date,
			data: Observation.parse({
				category: 'laboratory',
				code: { code: '2823-3', display: 'Potassium' },
				value: { type: 'string', value: String(value) },
				effectiveDateTime: date,
				...(interpretation ? { interpretation } : {})
			})
		});
		const deltas: string[] = [];
		for await (const delta of provider.analyse({ records: [observation(6.3, '2025-03-02', 'H')] }))
			deltas.push(delta);
		expect(deltas.join('')).toContain('Potassium on 2025-03-02 was high (6.3).');
	});
});
