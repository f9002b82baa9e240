import { beforeAll, describe, expect, it } from 'vitest';
import { loadUcum } from '../../../../src/lib/shared/records/ucum-units.ts';
import { sameUnit, toUcumUnit } from './map-unit.ts';

beforeAll(async () => {
	await loadUcum();
});

describe('toUcumUnit', () => {
	it.each([
		['mmol/l', 'mmol/L'],
		['mmol/L', 'mmol/L'],
		['x10^9/L', '10*9/L'],
		['x10^12/L', '10*12/L'],
		['x10E3/uL', '10*3/uL'],
		['Thousand/uL', '10*3/uL'],
		['g/L', 'g/L'],
		['g/dl', 'g/dL'],
		['umol/L', 'umol/L'],
		['µmol/L', 'umol/L'],
		['μmol/l', 'umol/L'],
		['mU/L', 'm[IU]/L'],
		['mIU/mL', 'm[IU]/mL'],
		['IU/L', '[IU]/L'],
		['%', '%'],
		['fl', 'fL'],
		['mm/hr', 'mm/h'],
		['sec', 's'],
		['mL/min/1.73m2', 'mL/min/{1.73_m2}'],
		['mL/min/1.73', 'mL/min/{1.73_m2}'],
		['mg/L FEU', 'mg/L{FEU}'],
		['/HPF', '/[HPF]'],
		['mg/mmol', 'mg/mmol'],
		['ng/mL', 'ng/mL']
	])('maps the report spelling %s to UCUM %s', (printed, ucum) => {
		expect(toUcumUnit(printed)).toBe(ucum);
	});

	it('accepts compound units that are already UCUM', () => {
		expect(toUcumUnit('mol/kg')).toBe('mol/kg');
		expect(toUcumUnit('ug/(24.h)')).toBe('ug/(24.h)');
	});

	it('refuses words and numbers that are not units', () => {
		for (const text of ['High', 'min', 'Negative', '128', 'EZ', 'H', 'L', '', 'mmol/L (3.5-5.3)']) {
			expect(toUcumUnit(text), text).toBeUndefined();
		}
	});

	it('treats [IU] and U as the same unit, as reports do', () => {
		expect(sameUnit('m[IU]/L', 'mU/L')).toBe(true);
		expect(sameUnit('[IU]/L', 'U/L')).toBe(true);
		expect(sameUnit('mmol/L', 'umol/L')).toBe(false);
	});
});
