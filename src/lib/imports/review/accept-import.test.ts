import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportRow } from '../../db/index.ts';
import { vaultFixture, zyx } from '../../vault/test-fixture.ts';
import type { Vault } from '../../vault/index.ts';
import { acceptImport, finishImport, resultRecordId } from './accept-import.ts';
import { derivedObservations, sourceDocument } from './derived-links.ts';
import { draftReview, type ReviewDraft } from './review-draft.ts';
import { rowObservation } from './row-observation.ts';
import { sampleExtraction } from './sample-extraction.ts';

let fx: Awaited<ReturnType<typeof vaultFixture>>;
let importRow: ImportRow;
let draft: ReviewDraft;

beforeEach(async () => {
	fx = await vaultFixture();
	const profileId = await fx.vault.createProfile(zyx);
	const documentId = await fx.vault.saveRecord({
		profileId,
		kind: 'document-reference',
		data: {
			title: 'Blood results 14 March',
			contentType: 'application/pdf',
			size: 2048,
			hash: 'a'.repeat(64),
			date: '2025-03-14'
		}
	});
	importRow = {
		id: globalThis.crypto.randomUUID(),
		profileId,
		documentId,
		attachmentId: 'attachment-1',
		state: 'ready',
		percent: 100,
		sealedResult: new Uint8Array([1, 2, 3]),
		createdAt: 1,
		updatedAt: 1
	};
	await fx.db.imports.add(importRow);
	draft = draftReview(sampleExtraction, { today: '2026-11-24' });
});
afterEach(() => fx.cleanup());

async function observations() {
	return (await fx.vault.listRecords(importRow.profileId, { kind: 'observation' })).flatMap(
		(item) => ('data' in item && item.kind === 'observation' ? [item] : [])
	);
}

const counts = async () => ({
	records: await fx.db.profileRecords.count(),
	outbox: await fx.db.outbox.count()
});

describe('accepting a reviewed import', () => {
	it('saves the accepted values as Observations derived from the document, and skips rejected ones', async () => {
		draft.rows[1]!.rejected = true;
		draft.rows[0]!.value = '121';
		draft.rows[0]!.flag = 'N';
		const before = await counts();

		const outcome = await acceptImport({
			vault: fx.vault,
			imports: fx.db.imports,
			importRow,
			draft
		});

		expect(outcome).toEqual({
			ok: true,
			ids: [0, 2, 3].map((index) => resultRecordId(importRow.id, index))
		});
		const saved = await observations();
		expect(saved.map((item) => [item.data.code.code, item.data.value]).sort()).toEqual([
			['2823-3', { type: 'quantity', value: 5.9, unit: 'mmol/L' }],
			['5778-6', { type: 'string', value: 'Straw' }],
			['718-7', { type: 'quantity', value: 121, unit: 'g/L' }]
		]);
		for (const item of saved) {
			expect(item.data.derivedFrom).toEqual({
				type: 'DocumentReference',
				id: importRow.documentId
			});
			expect(item.data.effectiveDateTime).toBe('2025-03-14');
		}
		expect(saved.find((item) => item.data.code.code === '718-7')?.data.interpretation).toBe('N');
		// Three records, one outbox row for the batch: they sync together.
		expect(await counts()).toEqual({ records: before.records + 3, outbox: before.outbox + 1 });
	});

	it('marks the import accepted and forgets the sealed extraction', async () => {
		await acceptImport({
			vault: fx.vault,
			imports: fx.db.imports,
			importRow,
			draft,
			now: () => 42
		});
		const row = await fx.db.imports.get(importRow.id);
		expect(row).toMatchObject({ state: 'accepted', updatedAt: 42 });
		expect(row && 'sealedResult' in row).toBe(false);
	});

	it('saves nothing when one row is invalid, and says which and why', async () => {
		draft.rows[3]!.unit = 'mmol/l/x';
		const before = await counts();

		const outcome = await acceptImport({
			vault: fx.vault,
			imports: fx.db.imports,
			importRow,
			draft
		});

		expect(outcome).toEqual({
			ok: false,
			errors: { rows: { 3: { unit: expect.stringContaining('mmol/l/x is not a unit') } } }
		});
		expect(await counts()).toEqual(before);
		expect(await fx.db.imports.get(importRow.id)).toMatchObject({
			state: 'ready',
			sealedResult: importRow.sealedResult
		});
	});

	it('places a refusal from the vault itself on the row it came from', async () => {
		// A vault whose schema is stricter than the page's check: its errors name batch positions.
		const strict: Pick<Vault, 'saveRecords'> = {
			saveRecords: ({ profileId, records }) =>
				fx.vault.saveRecords({
					profileId,
					records: records.map((record, position) =>
						position === 1 && record.kind === 'observation'
							? { ...record, data: { ...record.data, effectiveDateTime: 'soon' } }
							: record
					)
				})
		};
		draft.rows[0]!.rejected = true;
		const before = await counts();

		const outcome = await acceptImport({ vault: strict, imports: fx.db.imports, importRow, draft });

		expect(outcome).toEqual({
			ok: false,
			errors: { rows: {}, documentDate: expect.stringContaining('Enter a date') }
		});
		expect(await counts()).toEqual(before);
	});

	it('finishes an import whose values were saved before the tab closed, without saving them twice', async () => {
		const ids = await fx.vault.saveRecords({
			profileId: importRow.profileId,
			records: draft.rows.map((row) => ({
				kind: 'observation' as const,
				id: resultRecordId(importRow.id, row.index),
				data: rowObservation(row, {
					effectiveDateTime: '2025-03-14',
					documentId: importRow.documentId
				})
			}))
		});
		const before = await counts();

		const outcome = await acceptImport({
			vault: fx.vault,
			imports: fx.db.imports,
			importRow,
			draft
		});

		expect(outcome).toEqual({ ok: true, ids });
		expect(await counts()).toEqual(before);
		expect((await fx.db.imports.get(importRow.id))?.state).toBe('accepted');
	});

	it('keeps only the document when nothing is accepted', async () => {
		await finishImport({ imports: fx.db.imports, importId: importRow.id });
		expect(await observations()).toEqual([]);
		expect(await fx.db.imports.get(importRow.id)).toMatchObject({ state: 'accepted' });
		expect(
			await fx.vault.getRecord({ profileId: importRow.profileId, id: importRow.documentId })
		).toMatchObject({ deleted: false });
	});
});

describe('the link between a document and its observations', () => {
	it('leads from each observation to its document, and from the document to them', async () => {
		await acceptImport({ vault: fx.vault, imports: fx.db.imports, importRow, draft });
		await fx.vault.saveRecord({
			profileId: importRow.profileId,
			kind: 'observation',
			data: {
				category: 'laboratory',
				code: { display: 'Glucose' },
				value: { type: 'quantity', value: 5.4, unit: 'mmol/L' },
				effectiveDateTime: '2025-01-01'
			}
		});

		const derived = await derivedObservations(fx.vault, {
			profileId: importRow.profileId,
			documentId: importRow.documentId
		});
		expect(derived.map((item) => item.data.code.code)).toEqual([
			'1988-5',
			'5778-6',
			'718-7',
			'2823-3'
		]);
		expect(
			await sourceDocument(fx.vault, {
				profileId: importRow.profileId,
				observation: derived[0]!.data
			})
		).toEqual({
			id: importRow.documentId,
			title: 'Blood results 14 March'
		});

		await fx.vault.deleteRecord({ profileId: importRow.profileId, id: importRow.documentId });
		expect(
			await sourceDocument(fx.vault, {
				profileId: importRow.profileId,
				observation: derived[0]!.data
			})
		).toEqual({
			id: importRow.documentId,
			title: null
		});
	});

	it('leaves observations saved before the link without one', async () => {
		const id = await fx.vault.saveRecord({
			profileId: importRow.profileId,
			kind: 'observation',
			data: {
				category: 'laboratory',
				code: { display: 'Glucose' },
				value: { type: 'quantity', value: 5.4, unit: 'mmol/L' },
				effectiveDateTime: '2025-01-01'
			}
		});
		const saved = await fx.vault.getRecord({ profileId: importRow.profileId, id });
		expect(saved && 'data' in saved && saved.kind === 'observation' && saved.data.derivedFrom).toBe(
			undefined
		);
	});
});
