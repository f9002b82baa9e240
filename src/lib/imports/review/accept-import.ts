import type { Table } from 'dexie';
import type { ImportRow } from '../../db/index.ts';
import {
	RecordExistsError,
	RecordsValidationError,
	type NewRecord,
	type Vault
} from '../../vault/index.ts';
import { acceptedRows, type ReviewDraft } from './review-draft.ts';
import { hasErrors, placeRowErrors, validateReview, type ReviewErrors } from './validate-review.ts';

export type AcceptOutcome = { ok: true; ids: string[] } | { ok: false; errors: ReviewErrors };

type ImportRef = Pick<ImportRow, 'id' | 'profileId' | 'documentId'>;

// A result's record id is its import's and its position's. The records and the import's new
// state are two transactions (the vault owns the first), so a tab closed between them leaves
// the import 'ready' with its results saved: accepting again then finds the ids taken
// (RecordExistsError) and only finishes the import, instead of saving every value twice.
export function resultRecordId(importId: string, index: number): string {
	return `${importId}-${index}`;
}

// The review is done: the extraction is forgotten, the document and accepted values stay.
export async function finishImport({
	imports,
	importId,
	now = Date.now
}: {
	imports: Table<ImportRow, string>;
	importId: string;
	now?: () => number;
}): Promise<void> {
	// Dexie's update deletes a property set to undefined.
	await imports.update(importId, { state: 'accepted', sealedResult: undefined, updatedAt: now() });
}

// All accepted rows become Observations in one vault call, or none do: a row the schema refuses
// (here or in saveRecords) is reported beside its fields and nothing is written.
export async function acceptImport({
	vault,
	imports,
	importRow,
	draft,
	now = Date.now
}: {
	vault: Pick<Vault, 'saveRecords'>;
	imports: Table<ImportRow, string>;
	importRow: ImportRef;
	draft: ReviewDraft;
	now?: () => number;
}): Promise<AcceptOutcome> {
	const { errors, inputs } = await validateReview(draft, { documentId: importRow.documentId });
	if (hasErrors(errors)) return { ok: false, errors };

	const rows = acceptedRows(draft);
	const records: NewRecord[] = rows.map((row) => ({
		kind: 'observation',
		id: resultRecordId(importRow.id, row.index),
		data: inputs.get(row.index)!
	}));
	let ids = records.map((record) => record.id!);
	if (records.length > 0) {
		try {
			ids = await vault.saveRecords({ profileId: importRow.profileId, records });
		} catch (error) {
			if (error instanceof RecordsValidationError) {
				const refused: ReviewErrors = { rows: {} };
				for (const { index, fieldErrors } of error.invalid) {
					const placed = placeRowErrors(fieldErrors);
					if (Object.keys(placed.row).length > 0) refused.rows[rows[index]!.index] = placed.row;
					refused.documentDate ??= placed.documentDate;
				}
				return { ok: false, errors: refused };
			}
			if (!(error instanceof RecordExistsError)) throw error;
		}
	}
	await finishImport({ imports, importId: importRow.id, now });
	return { ok: true, ids };
}
