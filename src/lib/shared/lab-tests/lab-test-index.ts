import type { LabTest } from './lab-test.ts';
import { LAB_TESTS } from './lab-test-table.ts';
import { normaliseTestName } from './lab-test-name.ts';

export type LabTestIndex = {
	// Normalised synonym → every test it names (two where mass and molar codes share a name,
	// or a blood and a urine test do; the unit or the report's section decides).
	bySynonym: ReadonlyMap<string, readonly LabTest[]>;
	byLoinc: ReadonlyMap<string, LabTest>;
	// The most words any synonym has, so a matcher knows how far to look ahead.
	longestSynonymWords: number;
};

export function buildLabTestIndex(tests: readonly LabTest[] = LAB_TESTS): LabTestIndex {
	const bySynonym = new Map<string, LabTest[]>();
	const byLoinc = new Map<string, LabTest>();
	let longestSynonymWords = 1;
	for (const test of tests) {
		byLoinc.set(test.loinc, test);
		for (const synonym of [...test.synonyms, test.display]) {
			const key = normaliseTestName(synonym);
			if (key.length === 0) continue;
			const named = bySynonym.get(key) ?? [];
			if (!named.includes(test)) named.push(test);
			bySynonym.set(key, named);
			longestSynonymWords = Math.max(longestSynonymWords, key.split(' ').length);
		}
	}
	return { bySynonym, byLoinc, longestSynonymWords };
}

let shared: LabTestIndex | undefined;

export function labTestIndex(): LabTestIndex {
	shared ??= buildLabTestIndex();
	return shared;
}
