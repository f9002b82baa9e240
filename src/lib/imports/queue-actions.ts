import { deleteAttachment } from '../attachments/index.ts';
import type { UserDb } from '../db/index.ts';
import { removeDocument, type ReportVault } from './add-report.ts';
import { hasStoredFile } from './import-states.ts';

/** Retry: the failed import goes back to the queue from the start, with a new job. */
export async function retryImport({
	db,
	importId,
	now = Date.now
}: {
	db: UserDb;
	importId: string;
	now?: () => number;
}): Promise<boolean> {
	return db.transaction('rw', db.imports, async () => {
		const row = await db.imports.get(importId);
		if (!row || row.state !== 'failed' || !hasStoredFile(row)) return false;
		await db.imports.put({
			id: row.id,
			profileId: row.profileId,
			documentId: row.documentId,
			attachmentId: row.attachmentId,
			state: 'queued',
			percent: 0,
			createdAt: row.createdAt,
			updatedAt: now()
		});
		return true;
	});
}

/**
 * Delete: the import goes, and unless its values were accepted (then the document is part of the
 * record) its document and the file too. The server's copy of the file stays for the profile's
 * other members until the document's deletion reaches them.
 */
export async function deleteImport({
	db,
	vault,
	importId
}: {
	db: UserDb;
	vault: Pick<ReportVault, 'deleteRecord'>;
	importId: string;
}): Promise<void> {
	const row = await db.imports.get(importId);
	if (!row) return;
	await db.imports.delete(importId);
	if (row.state === 'accepted' || !hasStoredFile(row)) return;
	await removeDocument({ db, vault, profileId: row.profileId, documentId: row.documentId });
	await deleteAttachment({ db, attachmentId: row.attachmentId });
}
