import { describe, expect, it } from 'vitest';
import { validateRecord } from './validate-record.ts';

const glucose = {
	category: 'laboratory',
	code: { code: '2345-7', display: 'Glucose' },
	value: { type: 'quantity', value: 5.4, unit: 'mmol/L' },
	referenceRange: { low: 3.9, high: 5.5 },
	interpretation: 'N',
	effectiveDateTime: '2024-03-15T08:10+00:00',
	specimen: 'Serum',
	performer: 'Leeds Pathology',
	note: 'Fasting'
};

describe('Observation', () => {
	it('accepts a lab result and fills in the LOINC system and final status', async () => {
		expect(await validateRecord('observation', glucose)).toEqual({
			success: true,
			data: {
				...glucose,
				status: 'final',
				code: { system: 'http://loinc.org', code: '2345-7', display: 'Glucose' }
			}
		});
	});

	it.each(['mg/dL', 'mmol/L', '10*9/L', '%', 'kg/m2'])('accepts the unit %s', async (unit) => {
		const result = await validateRecord('observation', {
			...glucose,
			value: { type: 'quantity', value: 1, unit }
		});
		expect(result.success).toBe(true);
	});

	it.each([
		['mgdl', 'mgdl is not a unit we recognise — try mg/dL'],
		['foo', 'foo is not a unit we recognise — use a UCUM unit such as mg/dL, mmol/L or 10*9/L'],
		['', 'Enter the unit, e.g. mmol/L']
	])('refuses the unit %j beside the unit field', async (unit, message) => {
		const result = await validateRecord('observation', {
			...glucose,
			value: { type: 'quantity', value: 5.4, unit }
		});
		expect(result).toEqual({ success: false, fieldErrors: { 'value.unit': message } });
	});

	it('takes a text result for a test that has no number', async () => {
		const result = await validateRecord('observation', {
			category: 'laboratory',
			code: { display: 'Blood culture' },
			value: { type: 'string', value: 'Staphylococcus aureus isolated' },
			interpretation: 'AA',
			effectiveDateTime: '2024-03-15'
		});
		expect(result).toMatchObject({ success: true, data: { interpretation: 'AA' } });
	});

	it('takes a vital sign with critical flags', async () => {
		const result = await validateRecord('observation', {
			category: 'vital-signs',
			code: { code: '8867-4', display: 'Heart rate' },
			value: { type: 'quantity', value: 190, unit: '/min' },
			interpretation: 'HH',
			effectiveDateTime: '2024-03-15T09:30+01:00'
		});
		expect(result.success).toBe(true);
	});

	it('says what to fix for each broken field', async () => {
		const result = await validateRecord('observation', {
			category: 'lab',
			code: { code: '2345-8', display: '' },
			value: { type: 'quantity', value: '5,4', unit: 'mmol/L' },
			referenceRange: { low: 5.5, high: 3.9 },
			interpretation: 'high',
			effectiveDateTime: '15/03/2024'
		});
		expect(result).toEqual({
			success: false,
			fieldErrors: {
				category: 'Choose laboratory or vital signs',
				'code.code': 'Enter a LOINC code like 2345-7 (digits, a hyphen and a check digit)',
				'code.display': 'Enter the test name, e.g. Haemoglobin',
				'value.value': 'Enter the result as a number, like 5.4',
				'referenceRange.high': 'The upper limit must be at least the lower limit',
				interpretation: 'Choose low, normal, high, or a critical flag',
				effectiveDateTime:
					'Enter a date like 2024-03-15, or a date and time like 2024-03-15T09:30+01:00'
			}
		});
	});

	it('asks for every required field of an empty form', async () => {
		expect(await validateRecord('observation', {})).toEqual({
			success: false,
			fieldErrors: {
				category: 'Choose laboratory or vital signs',
				code: 'Enter the test name, e.g. Haemoglobin',
				value: 'Enter the result',
				effectiveDateTime:
					'Enter a date like 2024-03-15, or a date and time like 2024-03-15T09:30+01:00'
			}
		});
	});

	it('drops an empty reference range rather than storing {}', async () => {
		const result = await validateRecord('observation', {
			...glucose,
			referenceRange: { low: null, high: null, text: '' }
		});
		expect(result.success && 'referenceRange' in result.data && result.data.referenceRange).toBe(
			undefined
		);
	});

	it('links to the document it was read from, and stays valid without a link', async () => {
		const derivedFrom = { type: 'DocumentReference', id: 'doc-7f3a' };
		expect(await validateRecord('observation', { ...glucose, derivedFrom })).toMatchObject({
			success: true,
			data: { derivedFrom }
		});
		const unlinked = await validateRecord('observation', glucose);
		expect(unlinked.success && unlinked.data.derivedFrom).toBe(undefined);
	});

	it.each([
		[{ type: 'Patient', id: 'p-1' }, 'derivedFrom.type'],
		[{ type: 'DocumentReference', id: 'not/an id' }, 'derivedFrom.id'],
		['doc-1', 'derivedFrom']
	])('refuses the link %j', async (derivedFrom, path) => {
		const result = await validateRecord('observation', { ...glucose, derivedFrom });
		expect(result.success).toBe(false);
		expect(!result.success && Object.keys(result.fieldErrors)).toEqual([path]);
	});
});
