import { describe, expect, it } from 'vitest';
import { nameResembles } from './name-resembles.ts';

const margaret = { given: ['Margaret', 'Anne'], family: 'Smith' };

describe('whether a printed name could be the patient’s', () => {
	it.each([
		'SMITH, Margaret Anne',
		'Margaret Smith',
		'Mrs M. Smith',
		'MRS SMITH',
		'smith margaret'
	])('matches %j', (printed) => {
		expect(nameResembles(printed, margaret)).toBe(true);
	});

	it.each(['JONES, Margaret', 'SMITH, Peter', 'Dr P Okafor', 'Smithson, Margaret'])(
		'warns for %j',
		(printed) => {
			expect(nameResembles(printed, margaret)).toBe(false);
		}
	);

	it('ignores accents and needs every word of a double family name', () => {
		const chloe = { given: ['Chloé'], family: 'García Márquez' };
		expect(nameResembles('GARCIA MARQUEZ, Chloe', chloe)).toBe(true);
		expect(nameResembles('GARCIA, Chloe', chloe)).toBe(false);
	});

	it('matches on the given names when the profile has no family name', () => {
		expect(nameResembles('Baby Zyx', { given: ['Zyx'] })).toBe(true);
		expect(nameResembles('Baby Quorran', { given: ['Zyx'] })).toBe(false);
	});
});
