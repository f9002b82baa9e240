import { beforeAll, describe, expect, it } from 'vitest';
import { checkUcumUnit, loadUcum } from '../records/ucum-units.ts';
import { isLoincCode } from '../records/loinc.ts';
import { acceptedUnits, LabTest } from './lab-test.ts';
import { LAB_TESTS } from './lab-test-table.ts';
import { normaliseTestName } from './lab-test-name.ts';
import { labTestIndex } from './lab-test-index.ts';

beforeAll(async () => {
	await loadUcum();
});

describe('the lab test table', () => {
	it('holds at least 150 tests, each parsing against the LabTest schema', () => {
		expect(LAB_TESTS.length).toBeGreaterThanOrEqual(150);
		for (const test of LAB_TESTS) expect(() => LabTest.parse(test), test.loinc).not.toThrow();
	});

	it('gives every code a valid Mod 10 check digit, and each code once', () => {
		const invalid = LAB_TESTS.filter((test) => !isLoincCode(test.loinc)).map((t) => t.loinc);
		expect(invalid).toEqual([]);
		const codes = LAB_TESTS.map((test) => test.loinc);
		expect(new Set(codes).size).toBe(codes.length);
	});

	it('uses only units that UCUM (ucum-lhc) accepts as written', () => {
		const invalid = LAB_TESTS.flatMap((test) =>
			acceptedUnits(test)
				.filter((unit) => !checkUcumUnit(unit).valid)
				.map((unit) => `${test.loinc}: ${unit}`)
		);
		expect(invalid).toEqual([]);
	});

	it('lets no name point at two tests unless the unit or the specimen tells them apart', () => {
		const ambiguous: string[] = [];
		for (const [synonym, tests] of labTestIndex().bySynonym) {
			for (let i = 0; i < tests.length; i++) {
				for (let j = i + 1; j < tests.length; j++) {
					const [a, b] = [tests[i]!, tests[j]!];
					if (a.specimen !== b.specimen) continue;
					const unitsA = acceptedUnits(a);
					const unitsB = acceptedUnits(b);
					const disjoint =
						unitsA.length > 0 &&
						unitsB.length > 0 &&
						unitsA.every((unit) => !unitsB.includes(unit));
					if (!disjoint) ambiguous.push(`"${synonym}": ${a.loinc} / ${b.loinc}`);
				}
			}
		}
		expect(ambiguous).toEqual([]);
	});
});

describe('normaliseTestName', () => {
	it('meets British and American spellings, case and punctuation', () => {
		expect(normaliseTestName('HAEMOGLOBIN')).toBe(normaliseTestName('Hemoglobin'));
		expect(normaliseTestName('Haematocrit')).toBe('hematocrit');
		expect(normaliseTestName('Oestradiol')).toBe(normaliseTestName('Estradiol'));
		expect(normaliseTestName('Leucocytes')).toBe(normaliseTestName('Leukocytes'));
		expect(normaliseTestName('ALT/SGPT')).toBe('alt sgpt');
		expect(normaliseTestName('Platelets')).toBe(normaliseTestName('platelet'));
		expect(normaliseTestName('Neutrophils %')).toBe('neutrophil %');
	});

	it('finds the common abbreviations reports print', () => {
		const index = labTestIndex();
		const codes = (name: string) =>
			(index.bySynonym.get(normaliseTestName(name)) ?? []).map((test) => test.loinc);
		expect(codes('Hb')).toEqual(['718-7']);
		expect(codes('HGB')).toEqual(['718-7']);
		expect(codes('K')).toContain('2823-3');
		expect(codes('eGFR')).toEqual(['62238-1']);
		expect(codes('TSH')).toEqual(['3016-3']);
		expect(codes('ALT (SGPT)')).toEqual(['1742-6']);
		expect(codes('HbA1c').sort()).toEqual(['4548-4', '59261-8']);
	});
});
