import type { RecordData } from '../../../../src/lib/shared/records/index.ts';
import type { AnalyseInput, ProviderCallOptions } from '../provider.ts';

type Observation = RecordData<'observation'>;

const WORDS: Record<string, string> = {
	L: 'low',
	LL: 'critically low',
	H: 'high',
	HH: 'critically high',
	A: 'abnormal',
	AA: 'critically abnormal'
};

function showValue(observation: Observation): string {
	const { value } = observation;
	return value.type === 'quantity' ? `${value.value} ${value.unit}` : value.value;
}

// A plain summary without a model: flagged values, how each repeated test moved between its
// first and latest date, and what medicines and allergies are on record to weigh them against.
// Streamed a sentence at a time, as a model's deltas would be.
export async function* analyseLocally(
	{ records }: AnalyseInput,
	{ signal }: ProviderCallOptions = {}
): AsyncGenerator<string> {
	const observations = records.flatMap((record) =>
		record.kind === 'observation' ? [record.data] : []
	);
	const sentences: string[] = [];
	const flagged = observations.filter(
		(observation) => observation.interpretation && observation.interpretation !== 'N'
	);
	if (flagged.length === 0)
		sentences.push('No result in this selection is flagged outside its range.');
	for (const observation of flagged) {
		sentences.push(
			`${observation.code.display} on ${observation.effectiveDateTime.slice(0, 10)} was ${WORDS[observation.interpretation!]} (${showValue(observation)}).`
		);
	}
	const byCode = new Map<string, Observation[]>();
	for (const observation of observations) {
		if (observation.value.type !== 'quantity') continue;
		const key = `${observation.code.code ?? observation.code.display}|${observation.value.unit}`;
		byCode.set(key, [...(byCode.get(key) ?? []), observation]);
	}
	for (const series of byCode.values()) {
		if (series.length < 2) continue;
		const sorted = [...series].sort((a, b) =>
			a.effectiveDateTime.localeCompare(b.effectiveDateTime)
		);
		const first = sorted[0]!;
		const last = sorted.at(-1)!;
		if (first.value.type !== 'quantity' || last.value.type !== 'quantity') continue;
		const change = last.value.value - first.value.value;
		const trend = change === 0 ? 'was unchanged' : change > 0 ? 'rose' : 'fell';
		sentences.push(
			`${first.code.display} ${trend} from ${showValue(first)} (${first.effectiveDateTime.slice(0, 10)}) to ${showValue(last)} (${last.effectiveDateTime.slice(0, 10)}) over ${sorted.length} results.`
		);
	}
	const medicines = records.flatMap((record) =>
		record.kind === 'medication-statement' ? [record.data.medication.display] : []
	);
	const allergies = records.flatMap((record) =>
		record.kind === 'allergy-intolerance' ? [record.data.substance.display] : []
	);
	if (medicines.length > 0) sentences.push(`Medicines on record: ${medicines.join(', ')}.`);
	if (allergies.length > 0) sentences.push(`Allergies on record: ${allergies.join(', ')}.`);
	if (medicines.length > 0 || allergies.length > 0) {
		sentences.push(
			'The local provider does not check interactions; a cloud provider or a clinician can.'
		);
	}
	for (const sentence of sentences) {
		signal?.throwIfAborted();
		yield `${sentence}\n`;
	}
}
