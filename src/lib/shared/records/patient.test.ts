import { describe, expect, it } from 'vitest';
import { NHS_NUMBER_SYSTEM } from './nhs-number.ts';
import { validateRecord } from './validate-record.ts';

const zyx = {
	name: { given: ['Zyxwvuta', ''], family: 'Quorran' },
	birthDate: '1984-07-02',
	sex: 'female',
	identifiers: [
		{ system: NHS_NUMBER_SYSTEM, value: '943 476 5919' },
		{ system: 'MRN', value: 'H123456' }
	],
	phone: '+44 20 7946 0958',
	email: 'zq@example.com',
	address: { lines: ['1 High Street'], city: 'Leeds', postalCode: 'LS1 1AA', country: 'UK' }
};

describe('Patient', () => {
	it('accepts a full profile and drops blank entries a form leaves behind', async () => {
		const result = await validateRecord('patient', zyx);
		expect(result).toEqual({
			success: true,
			data: { ...zyx, name: { given: ['Zyxwvuta'], family: 'Quorran' } }
		});
	});

	it('needs only a name', async () => {
		expect(await validateRecord('patient', { name: { family: 'Quorran' } })).toEqual({
			success: true,
			data: { name: { given: [], family: 'Quorran' }, identifiers: [] }
		});
	});

	it('treats blank optional inputs as not given', async () => {
		const result = await validateRecord('patient', {
			name: { given: ['Ann'] },
			birthDate: '',
			sex: '',
			phone: ' ',
			email: null,
			address: { lines: [''], city: '' }
		});
		expect(result).toEqual({
			success: true,
			data: { name: { given: ['Ann'] }, identifiers: [] }
		});
	});

	it('explains each problem beside its field', async () => {
		const result = await validateRecord('patient', {
			name: { given: [' '], family: '' },
			birthDate: '2024-02-30',
			sex: 'f',
			identifiers: [
				{ system: NHS_NUMBER_SYSTEM, value: '943 476 5918' },
				{ system: '', value: 'H1' }
			],
			phone: 'call me',
			email: 'zq@'
		});
		expect(result).toEqual({
			success: false,
			fieldErrors: {
				name: 'Enter a given or family name',
				birthDate: 'Enter a date like 2024-03-15',
				sex: 'Choose male, female, other or unknown',
				'identifiers.0.value': 'This is not a valid NHS number — check for a mistyped digit',
				'identifiers.1.system': 'Say what kind of number this is, e.g. MRN or NHS number',
				phone: 'Enter a phone number like +44 20 7946 0958',
				email: 'Enter an email address like name@example.com'
			}
		});
	});

	it('refuses a birth date in the future', async () => {
		const result = await validateRecord('patient', {
			name: { family: 'Quorran' },
			birthDate: '2999-01-01'
		});
		expect(result).toEqual({
			success: false,
			fieldErrors: { birthDate: 'The birth date cannot be in the future' }
		});
	});
});
