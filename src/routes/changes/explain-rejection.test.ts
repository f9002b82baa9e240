import { describe, expect, it } from 'vitest';
import { RejectionCode } from '../../lib/shared/sync.ts';
import { explainRejection } from './explain-rejection.ts';

describe('a refused change explained', () => {
	it('has plain words for every rejection code, without the code itself', () => {
		for (const code of RejectionCode.options) {
			const text = explainRejection(`${code}: technical detail`);
			expect(text).not.toContain(code);
			expect(text).not.toContain('technical detail');
			expect(text).toMatch(/\.$/);
		}
		expect(explainRejection('read_only: role viewer cannot write')).toMatch(
			/view this patient’s record but not change it/
		);
	});

	it('falls back to the server’s own words for a reason it does not know', () => {
		expect(explainRejection('quota: too many changes')).toMatch(/\(quota: too many changes\)/);
		expect(explainRejection('no colon at all')).toMatch(/\(no colon at all\)/);
	});
});
