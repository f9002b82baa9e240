import type { RecordData } from '../shared/records/index.ts';

export interface LabTrend {
	key: string;
	title: string;
	unit: string;
	points: { date: string; value: number; flagged: boolean }[];
	low?: number;
	high?: number;
}

/**
 * The lab tests with at least two numeric results in the same unit, each as a series. Results
 * group by LOINC code when they have one, otherwise by the test's name; a unit change starts a
 * separate series rather than plotting mmol/L beside mg/dL.
 */
export function labTrends(observations: RecordData<'observation'>[]): LabTrend[] {
	const groups = new Map<string, LabTrend>();
	for (const observation of observations) {
		if (observation.value.type !== 'quantity') continue;
		const test = observation.code.code ?? observation.code.display.trim().toLocaleLowerCase();
		const key = `${test}|${observation.value.unit}`;
		const group = groups.get(key) ?? {
			key,
			title: observation.code.display,
			unit: observation.value.unit,
			points: []
		};
		group.points.push({
			date: observation.effectiveDateTime,
			value: observation.value.value,
			flagged: observation.interpretation !== undefined && observation.interpretation !== 'N'
		});
		// The newest result's range is the one a clinician compares against.
		const range = observation.referenceRange;
		const newest = group.points.every((point) => point.date <= observation.effectiveDateTime);
		if (range && newest) {
			group.low = range.low;
			group.high = range.high;
		}
		groups.set(key, group);
	}
	return [...groups.values()].filter((group) => group.points.length >= 2);
}
