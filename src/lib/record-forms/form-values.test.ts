import { describe, expect, it } from 'vitest';
import { validateRecord } from '../shared/records/index.ts';
import { placeErrors, toFormValues, toRecordInput } from './form-values.ts';

describe('record forms', () => {
	it('turns a lab result form into an Observation the schema accepts, and back', async () => {
		const values = {
			category: 'laboratory',
			effectiveDateTime: '2026-11-02',
			'code.display': 'HbA1c',
			'code.code': '4548-4',
			'value.value': '7,2',
			'value.unit': '%',
			interpretation: 'H',
			'referenceRange.low': '4',
			'referenceRange.high': '5.6',
			specimen: '',
			performer: '',
			note: ''
		};
		const input = toRecordInput('observation', values);
		const result = await validateRecord('observation', input);
		expect(result.success).toBe(true);
		if (!result.success) return;
		expect(result.data.value).toEqual({ type: 'quantity', value: 7.2, unit: '%' });
		expect(result.data.referenceRange).toMatchObject({ low: 4, high: 5.6 });
		expect(toFormValues('observation', result.data)).toMatchObject({
			'value.value': '7.2',
			'value.unit': '%',
			'code.display': 'HbA1c'
		});
	});

	it('keeps a non-numeric result as text', () => {
		const input = toRecordInput('observation', { 'value.value': 'positive' });
		expect(input.value).toEqual({ type: 'string', value: 'positive' });
	});

	it('puts each schema message beside its field, and a missing result beside Result', async () => {
		const input = toRecordInput('observation', {
			category: 'laboratory',
			effectiveDateTime: '2026-13-40',
			'code.display': '',
			'value.value': '',
			'value.unit': ''
		});
		const result = await validateRecord('observation', input);
		expect(result.success).toBe(false);
		if (result.success) return;
		const placed = placeErrors('observation', result.fieldErrors);
		expect(placed.fields['effectiveDateTime']).toMatch(/date like/);
		expect(placed.fields['code.display']).toMatch(/test name/);
		expect(placed.fields['value.value']).toMatch(/result/i);
		expect(placed.form).toBeNull();
	});

	it('flags a unit UCUM does not know beside the unit field', async () => {
		const input = toRecordInput('observation', {
			category: 'laboratory',
			effectiveDateTime: '2026-11-02',
			'code.display': 'Glucose',
			'value.value': '5.4',
			'value.unit': 'mgdl'
		});
		const result = await validateRecord('observation', input);
		expect(result.success).toBe(false);
		if (result.success) return;
		expect(placeErrors('observation', result.fieldErrors).fields['value.unit']).toBeTruthy();
	});

	it('edits a patient without losing fields the form does not show', async () => {
		const stored = {
			name: { given: ['Ada', 'May'], family: 'Quorran' },
			identifiers: [
				{ system: 'MRN', value: '12345' },
				{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9434765919' }
			]
		};
		const values: Record<string, string> = {
			...toFormValues('patient', stored),
			'name.family': 'Quorran-Smith'
		};
		expect(values['name.given']).toBe('Ada May');
		const input = toRecordInput('patient', values, stored);
		const result = await validateRecord('patient', input);
		expect(result.success).toBe(true);
		if (!result.success) return;
		expect(result.data.name).toEqual({ given: ['Ada', 'May'], family: 'Quorran-Smith' });
		expect(result.data.identifiers).toHaveLength(2);
	});

	it('keeps an imported lab result’s link to its document through an edit', async () => {
		const stored = {
			category: 'laboratory',
			status: 'final',
			code: { system: 'http://loinc.org', code: '718-7', display: 'Haemoglobin' },
			value: { type: 'quantity', value: 112, unit: 'g/L' },
			effectiveDateTime: '2025-03-14',
			derivedFrom: { type: 'DocumentReference', id: 'doc-1' }
		};
		const values = { ...toFormValues('observation', stored), 'value.value': '121' };
		const result = await validateRecord(
			'observation',
			toRecordInput('observation', values, stored)
		);
		expect(result).toMatchObject({
			success: true,
			data: { value: { value: 121 }, derivedFrom: { type: 'DocumentReference', id: 'doc-1' } }
		});
	});
});
