import { describe, expect, it } from 'vitest';
import { RecordKind } from './record-kind.ts';
import { recordSchemas } from './record-schemas.ts';
import { validateRecord } from './validate-record.ts';

const DOC_ID = '7f1c2b1e-2f4b-4c55-9a53-2a4f0c0f7a10';

describe('record kinds', () => {
	it('has one schema per kind', () => {
		expect(Object.keys(recordSchemas).sort()).toEqual([...RecordKind.options].sort());
	});

	it('accepts a condition and refuses an end before its onset', async () => {
		const good = {
			code: { display: 'Type 2 diabetes', system: 'http://snomed.info/sct', code: '44054006' },
			onsetDate: '2019-05-01'
		};
		expect(await validateRecord('condition', good)).toEqual({
			success: true,
			data: { ...good, clinicalStatus: 'active' }
		});
		expect(
			await validateRecord('condition', { ...good, abatementDate: '2018-01-01', severity: 'bad' })
		).toEqual({
			success: false,
			fieldErrors: {
				severity: 'Choose mild, moderate or severe',
				abatementDate: 'The end date cannot be before the onset date'
			}
		});
	});

	it('accepts a medication statement and checks its period', async () => {
		const good = {
			medication: { display: 'Metformin 500 mg tablets' },
			dosage: 'One tablet twice a day with meals',
			effectivePeriod: { start: '2020-01-01', end: '' }
		};
		expect(await validateRecord('medication-statement', good)).toEqual({
			success: true,
			data: { ...good, status: 'active', effectivePeriod: { start: '2020-01-01' } }
		});
		expect(
			await validateRecord('medication-statement', {
				medication: { display: '' },
				status: 'taking',
				effectivePeriod: { start: '2020-01-01', end: '2019-12-31' }
			})
		).toEqual({
			success: false,
			fieldErrors: {
				'medication.display': 'Enter the medication, e.g. Metformin 500 mg tablets',
				status: 'Choose whether it is being taken, stopped or completed',
				'effectivePeriod.end': 'The end date cannot be before the start date'
			}
		});
	});

	it('accepts an allergy with reactions and refuses an unknown criticality', async () => {
		const good = {
			substance: { display: 'Penicillin' },
			criticality: 'high',
			reactions: [{ manifestation: 'Hives', severity: 'moderate' }]
		};
		expect(await validateRecord('allergy-intolerance', good)).toEqual({
			success: true,
			data: { ...good, clinicalStatus: 'active' }
		});
		expect(
			await validateRecord('allergy-intolerance', {
				substance: {},
				criticality: 'very',
				reactions: [{ manifestation: ' ' }]
			})
		).toEqual({
			success: false,
			fieldErrors: {
				'substance.display': 'Enter the substance, e.g. Penicillin',
				criticality: 'Choose low, high or unable to assess',
				'reactions.0.manifestation': 'Describe the reaction, e.g. Hives'
			}
		});
	});

	it('accepts an immunization and refuses a dose number of zero', async () => {
		const good = {
			vaccine: { display: 'MMR' },
			occurrenceDateTime: '2024-01-09',
			lotNumber: 'AB1234',
			site: 'Left deltoid',
			doseNumber: 2
		};
		expect(await validateRecord('immunization', good)).toEqual({
			success: true,
			data: { ...good, status: 'completed' }
		});
		expect(
			await validateRecord('immunization', { ...good, doseNumber: 0, occurrenceDateTime: '' })
		).toEqual({
			success: false,
			fieldErrors: {
				occurrenceDateTime:
					'Enter a date like 2024-03-15, or a date and time like 2024-03-15T09:30+01:00',
				doseNumber: 'The dose number starts at 1'
			}
		});
	});

	it('accepts document metadata, normalising case, and refuses a malformed hash', async () => {
		const good = {
			title: 'Discharge letter',
			contentType: 'Application/PDF',
			size: 48_213,
			hash: 'AB'.repeat(32),
			date: '2024-03-15T10:00Z'
		};
		expect(await validateRecord('document-reference', good)).toEqual({
			success: true,
			data: { ...good, contentType: 'application/pdf', hash: 'ab'.repeat(32) }
		});
		expect(
			await validateRecord('document-reference', {
				...good,
				contentType: 'pdf',
				size: -1,
				hash: 'x'
			})
		).toEqual({
			success: false,
			fieldErrors: {
				contentType: 'Enter a file type like application/pdf',
				size: 'The file size cannot be negative',
				hash: 'Enter the SHA-256 hash as 64 hexadecimal characters'
			}
		});
	});

	it('accepts a note linked to its Yjs document', async () => {
		expect(await validateRecord('note', { title: 'Home visit', docId: DOC_ID })).toEqual({
			success: true,
			data: { title: 'Home visit', docId: DOC_ID }
		});
		expect(await validateRecord('note', { title: '', docId: 'x' })).toEqual({
			success: false,
			fieldErrors: {
				title: 'Enter a title for the note',
				docId: 'The note is not linked to a document'
			}
		});
	});

	it('keeps only the fields a schema knows', async () => {
		const result = await validateRecord('note', { title: 'Visit', docId: DOC_ID, extra: 'x' });
		expect(result).toEqual({ success: true, data: { title: 'Visit', docId: DOC_ID } });
	});
});
