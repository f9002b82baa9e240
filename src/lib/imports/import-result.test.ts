import { describe, expect, it } from 'vitest';
import { generateProfileKey } from '../crypto/index.ts';
import type { ImportResult } from '../shared/imports.ts';
import { openImportResult, sealImportResult } from './import-result.ts';

const PROFILE = '0b7f6c7e-2f8e-4c55-9d0e-3c4f5a6b7c8d';
const IMPORT = '5a1e2d3c-4b5a-4f6e-8d7c-6b5a4f3e2d1c';
const OTHER_IMPORT = '9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f';

const result: ImportResult = {
	extraction: {
		provider: 'local',
		documentDate: '2026-11-02',
		pages: [{ page: 1, status: 'text' }],
		results: [
			{
				code: { system: 'http://loinc.org', code: '2823-3', display: 'Potassium' },
				label: 'Potassium',
				value: { type: 'quantity', value: 5.9, unit: 'mmol/L', unitSource: 'report' },
				referenceRange: { low: 3.5, high: 5.3, text: '3.5 - 5.3' },
				interpretation: 'H',
				interpretationSource: 'report',
				provenance: { page: 1, start: 0, end: 30, snippet: 'Potassium 5.9 mmol/L 3.5 - 5.3 H' },
				confidence: 0.9
			}
		]
	}
};

describe('import results on the device', () => {
	it('opens what was sealed for the same import, and nothing of it is readable sealed', async () => {
		const profileKey = await generateProfileKey({ version: 1 });
		const sealed = await sealImportResult({
			profileKey,
			profileId: PROFILE,
			importId: IMPORT,
			result
		});
		expect(new TextDecoder().decode(sealed)).not.toContain('Potassium');
		expect(
			await openImportResult({ profileKey, profileId: PROFILE, importId: IMPORT, sealed })
		).toEqual(result);
	});

	it('refuses a result moved to another import', async () => {
		const profileKey = await generateProfileKey({ version: 1 });
		const sealed = await sealImportResult({
			profileKey,
			profileId: PROFILE,
			importId: IMPORT,
			result
		});
		await expect(
			openImportResult({ profileKey, profileId: PROFILE, importId: OTHER_IMPORT, sealed })
		).rejects.toThrow();
	});
});
