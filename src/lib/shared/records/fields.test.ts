import { describe, expect, it } from 'vitest';
import { DATE_HINT, DATE_TIME_HINT, IsoDate, IsoDateTime } from './fields.ts';
import { isLoincCode } from './loinc.ts';
import { isNhsNumber } from './nhs-number.ts';

const issue = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
	result.error?.issues[0]?.message;

describe('dates', () => {
	it.each(['2024-03-15', '2024-02-29', '2000-02-29', ' 1999-12-31 '])('accepts %j', (date) => {
		expect(IsoDate.parse(date)).toBe(date.trim());
	});

	it.each(['2023-02-29', '1900-02-29', '2024-13-01', '2024-04-31', '15/03/2024', '2024-3-15', ''])(
		'refuses %j with a sample date',
		(date) => {
			expect(issue(IsoDate.safeParse(date))).toBe(DATE_HINT);
		}
	);

	it.each([
		'2024-03-15',
		'2024-03-15T09:30Z',
		'2024-03-15T09:30+01:00',
		'2024-03-15T23:59:59.123-05:30'
	])('accepts the date-time %j', (value) => {
		expect(IsoDateTime.parse(value)).toBe(value);
	});

	it.each(['2024-03-15T09:30', '2024-03-15T24:00Z', '2024-03-15 09:30Z', '2024-02-30T09:30Z'])(
		'refuses the date-time %j, which a form cannot place in time',
		(value) => {
			expect(issue(IsoDateTime.safeParse(value))).toBe(DATE_TIME_HINT);
		}
	);
});

describe('check digits', () => {
	it.each(['2345-7', '718-7', '8867-4', '4548-4', '39156-5'])('LOINC %s is valid', (code) => {
		expect(isLoincCode(code)).toBe(true);
	});

	it.each(['2345-8', '2345', 'abc-1', '12345678-9'])('LOINC %s is not', (code) => {
		expect(isLoincCode(code)).toBe(false);
	});

	it('checks NHS numbers with modulus 11, ignoring spaces', () => {
		expect(isNhsNumber('943 476 5919')).toBe(true);
		expect(isNhsNumber('9434765918')).toBe(false);
		expect(isNhsNumber('94347659')).toBe(false);
	});
});
