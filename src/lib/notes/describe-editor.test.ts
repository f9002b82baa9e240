import { describe, expect, it } from 'vitest';
import { describeEditor } from './describe-editor.ts';

const me = '6b1f7f55-6a3c-4b8e-9c55-0d7f3a0e5b21';
const colleague = '9a0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3';

describe('describeEditor', () => {
	it('names this device, this user elsewhere, a member by email, or someone not listed', () => {
		const emails = new Map([[colleague, 'dr.ines@example.org']]);
		expect(describeEditor({ editedBy: undefined, userId: me, emails })).toBe('you, on this device');
		expect(describeEditor({ editedBy: me, userId: me, emails })).toBe('you');
		expect(describeEditor({ editedBy: colleague, userId: me, emails })).toBe('dr.ines@example.org');
		expect(describeEditor({ editedBy: colleague, userId: me, emails: null })).toBe(
			'another member'
		);
	});
});
