import type { RecordInput } from '../../src/lib/shared/records/index.ts';

// Lab results as an import would bring them: a handful of common tests with real LOINC codes
// and UCUM units, each with the laboratory's comment padded so its data is ~1 KB of JSON.
const TESTS = [
	{
		code: '2345-7',
		display: 'Glucose [Moles/volume] in Serum or Plasma',
		unit: 'mmol/L',
		low: 3.9,
		high: 5.5
	},
	{
		code: '2951-2',
		display: 'Sodium [Moles/volume] in Serum or Plasma',
		unit: 'mmol/L',
		low: 133,
		high: 146
	},
	{
		code: '2823-3',
		display: 'Potassium [Moles/volume] in Serum or Plasma',
		unit: 'mmol/L',
		low: 3.5,
		high: 5.3
	},
	{
		code: '2160-0',
		display: 'Creatinine [Mass/volume] in Serum or Plasma',
		unit: 'mg/dL',
		low: 0.6,
		high: 1.2
	},
	{ code: '718-7', display: 'Hemoglobin [Mass/volume] in Blood', unit: 'g/dL', low: 12, high: 16 },
	{
		code: '6690-2',
		display: 'Leukocytes [#/volume] in Blood by Automated count',
		unit: '10*9/L',
		low: 4,
		high: 11
	},
	{
		code: '4548-4',
		display: 'Hemoglobin A1c/Hemoglobin.total in Blood',
		unit: '%',
		low: 4,
		high: 5.6
	}
] as const;

const SENTENCES = [
	'Sample received at the laboratory within the stability window and processed on the main analyser.',
	'Result reviewed by the duty biochemist; no interference from haemolysis, icterus or lipaemia.',
	'Please interpret alongside the clinical picture and any recent changes in medication or diet.',
	'Repeat testing is advised in three months, or sooner if symptoms change or new ones appear.',
	'Reference interval applies to adults; paediatric and pregnancy intervals are given on request.',
	'Calibration and internal quality control were within limits for this run on the reporting day.'
];

export const RECORD_JSON_BYTES = 1024;

export function labResult(index: number): RecordInput<'observation'> {
	const test = TESTS[index % TESTS.length]!;
	// Spread over 20 % below to 20 % above the reference range, so flags vary too.
	const spread = test.high - test.low;
	const value = Math.round((test.low + spread * (((index * 37) % 140) / 100 - 0.2)) * 10) / 10;
	const day = 1 + (index % 28);
	const data: RecordInput<'observation'> = {
		category: 'laboratory',
		status: 'final',
		code: { code: test.code, display: test.display },
		value: { type: 'quantity', value, unit: test.unit },
		referenceRange: { low: test.low, high: test.high },
		interpretation: value < test.low ? 'L' : value > test.high ? 'H' : 'N',
		effectiveDateTime: `2024-${String(1 + (index % 12)).padStart(2, '0')}-${String(day).padStart(2, '0')}T08:${String(index % 60).padStart(2, '0')}+00:00`,
		specimen: 'Serum',
		performer: 'Northgate Pathology Laboratory',
		note: ''
	};
	const room = RECORD_JSON_BYTES - JSON.stringify(data).length;
	let note = `Accession ${100000 + index}.`;
	for (let i = index; note.length < room; i++) note += ` ${SENTENCES[i % SENTENCES.length]}`;
	data.note = note.slice(0, room).trimEnd();
	return data;
}
