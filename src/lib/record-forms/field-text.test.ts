import { describe, expect, it } from 'vitest';
import { EMPTY_TEXT, fieldLabel, fieldLines } from './field-text.ts';

describe('a stored field as the record page reads it', () => {
	it('names a field with its form label, or with words for a field the form splits up', () => {
		expect(fieldLabel('condition', 'severity')).toBe('Severity');
		expect(fieldLabel('condition', 'code')).toBe('Condition');
		expect(fieldLabel('observation', 'code')).toBe('Test');
		expect(fieldLabel('observation', 'value')).toBe('Result');
		expect(fieldLabel('observation', 'referenceRange')).toBe('Reference range');
		expect(fieldLabel('observation', 'status')).toBe('Status');
	});

	it('shows choices by their names and text as typed', () => {
		expect(fieldLines('condition', 'severity', 'moderate')).toEqual([
			{ label: '', text: 'Moderate' }
		]);
		expect(fieldLines('condition', 'clinicalStatus', 'remission')).toEqual([
			{ label: '', text: 'In remission' }
		]);
		expect(fieldLines('condition', 'note', 'Worse at night')).toEqual([
			{ label: '', text: 'Worse at night' }
		]);
		expect(fieldLines('condition', 'code', { display: 'Asthma' })).toEqual([
			{ label: '', text: 'Asthma' }
		]);
	});

	it('labels each part of a field the form shows as several inputs', () => {
		expect(fieldLines('observation', 'referenceRange', { low: 3.9, high: 5.5 })).toEqual([
			{ label: 'Reference low', text: '3.9' },
			{ label: 'Reference high', text: '5.5' }
		]);
		expect(
			fieldLines('observation', 'code', {
				system: 'http://loinc.org',
				code: '2345-7',
				display: 'Glucose'
			})
		).toEqual([
			{ label: 'Test', text: 'Glucose' },
			{ label: 'LOINC code', text: '2345-7' }
		]);
		expect(fieldLines('patient', 'name', { given: ['Ada', 'May'], family: 'Quorran' })).toEqual([
			{ label: 'Given names', text: 'Ada May' },
			{ label: 'Family name', text: 'Quorran' }
		]);
	});

	it('shows a result with its unit, a cleared field as left empty, and unknown fields plainly', () => {
		expect(
			fieldLines('observation', 'value', { type: 'quantity', value: 5.4, unit: 'mmol/L' })
		).toEqual([{ label: '', text: '5.4 mmol/L' }]);
		expect(fieldLines('condition', 'severity', null)).toEqual([{ label: '', text: EMPTY_TEXT }]);
		expect(fieldLines('observation', 'status', 'final')).toEqual([{ label: '', text: 'final' }]);
	});
});
