import { describe, expect, it } from 'vitest';
import { toFormValues, toRecordInput } from '../record-forms/form-values.ts';
import { validateRecord } from '../shared/records/index.ts';

const document = {
	title: 'Full blood count',
	contentType: 'application/pdf',
	size: 600_000,
	hash: 'ab'.repeat(32),
	date: '2026-11-20'
};

describe('a DocumentReference names its attachment', () => {
	it('accepts documents with and without an attachment id', async () => {
		const attachmentId = crypto.randomUUID();
		expect(await validateRecord('document-reference', { ...document, attachmentId })).toMatchObject(
			{
				success: true,
				data: { attachmentId }
			}
		);
		const without = await validateRecord('document-reference', document);
		expect(without.success).toBe(true);
		expect(without.success && without.data.attachmentId).toBeUndefined();
	});

	it('refuses an attachment id that is not a uuid', async () => {
		expect(await validateRecord('document-reference', { ...document, attachmentId: 'x' })).toEqual({
			success: false,
			fieldErrors: { attachmentId: 'The document is not linked to a stored file' }
		});
	});

	it('keeps the attachment id when the form edits the document', async () => {
		const existing = { ...document, attachmentId: crypto.randomUUID() };
		const values = toFormValues('document-reference', existing);
		values.title = 'FBC, November';
		const edited = await validateRecord(
			'document-reference',
			toRecordInput('document-reference', values, existing)
		);
		expect(edited).toMatchObject({
			success: true,
			data: { title: 'FBC, November', attachmentId: existing.attachmentId }
		});
	});
});
