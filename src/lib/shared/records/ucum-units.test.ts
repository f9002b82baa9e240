import { describe, expect, it } from 'vitest';
import { Observation } from './observation.ts';
import { checkUcumUnit, isUcumLoaded, loadUcum, unitMessage } from './ucum-units.ts';

const glucose = {
	category: 'laboratory',
	code: { code: '2345-7', display: 'Glucose' },
	value: { type: 'quantity', value: 5.4, unit: 'mmol/L' },
	effectiveDateTime: '2024-03-15'
};

// One file, in order: the module starts unloaded here because Vitest isolates test files.
describe('UCUM units, loaded on first use', () => {
	it('does not load the unit table until something needs it', () => {
		expect(isUcumLoaded()).toBe(false);
		expect(() => checkUcumUnit('mg/dL')).toThrow(/await loadUcum/);
		expect(() => Observation.parse(glucose)).toThrow(/parseAsync/);
	});

	it('loads on an async parse, and parses synchronously from then on', async () => {
		await expect(Observation.parseAsync(glucose)).resolves.toMatchObject({ status: 'final' });
		expect(isUcumLoaded()).toBe(true);
		expect(Observation.parse(glucose).value).toEqual(glucose.value);
	});

	it('loads once however many callers ask at the same time', async () => {
		const [a, b] = await Promise.all([loadUcum(), loadUcum()]);
		expect(a).toBe(b);
	});

	it.each(['mg/dL', 'mmol/L', '10*9/L', '%', 'kg/m2', '/min', 'mm[Hg]', 'Cel', '[IU]/L', 'mg/dl'])(
		'accepts %s',
		(unit) => {
			expect(checkUcumUnit(unit)).toEqual({ valid: true });
		}
	);

	it.each([
		['mgdl', 'mg/dL'],
		['MG/DL', 'mg/dL'],
		['mmHg', 'mm[Hg]'],
		['bpm', '/min'],
		['IU/L', '[IU]/L'],
		['x10^9/L', '10*9/L'],
		['kg/m²', 'kg/m2'],
		['°C', 'Cel'],
		['µmol/L', 'umol/L']
	])('rejects %s and suggests %s', (unit, suggestion) => {
		const check = checkUcumUnit(unit);
		expect(check).toEqual({ valid: false, suggestion });
		expect(unitMessage(unit, check)).toBe(`${unit} is not a unit we recognise — try ${suggestion}`);
	});

	it('rejects nonsense without inventing a suggestion', () => {
		const check = checkUcumUnit('foo');
		expect(check).toEqual({ valid: false, suggestion: undefined });
		expect(unitMessage('foo', check)).toBe(
			'foo is not a unit we recognise — use a UCUM unit such as mg/dL, mmol/L or 10*9/L'
		);
	});
});
