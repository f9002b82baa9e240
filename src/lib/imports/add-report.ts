import { deleteAttachment, storeAttachment } from '../attachments/index.ts';
import type { ProfileKey } from '../crypto/index.ts';
import { recordKey, type ImportRow, type RecordRef, type UserDb } from '../db/index.ts';
import type { RecordInput } from '../shared/records/index.ts';
import {
	checkFileContent,
	checkFileHeader,
	isFileProblem,
	type FileProblem
} from './media-type.ts';

// What addReport needs of the vault: the page's unlocked one.
export interface ReportVault {
	saveRecord(input: {
		profileId: string;
		kind: 'document-reference';
		id: string;
		data: RecordInput<'document-reference'>;
	}): Promise<string>;
	deleteRecord(ref: RecordRef): Promise<void>;
}

export interface ReportFile {
	name: string;
	type: string;
	size: number;
	bytes: () => Promise<Uint8Array>;
}

/**
 * Adds a document for import, online or offline: its sealed chunks (storeAttachment), its
 * DocumentReference (synced like any record) and a 'queued' import, or nothing at all if any
 * step fails. A file the server would refuse (empty, too large, not its type) is not stored:
 * a 'failed' import with the reason is written instead, for the list's Retry / Delete.
 * `replacing` is such a failed import being retried with the file chosen again.
 */
export async function addReport({
	db,
	vault,
	profileKey,
	profileId,
	file,
	replacing,
	now = Date.now,
	newId = () => crypto.randomUUID()
}: {
	db: UserDb;
	vault: ReportVault;
	profileKey: ProfileKey;
	profileId: string;
	file: ReportFile;
	replacing?: string;
	now?: () => number;
	newId?: () => string;
}): Promise<ImportRow> {
	const importId = replacing ?? newId();
	const header = checkFileHeader(file);
	if (isFileProblem(header)) return refuse(header);
	const bytes = await file.bytes();
	const problem = checkFileContent(bytes, header);
	if (problem) {
		bytes.fill(0);
		return refuse(problem);
	}

	const documentId = newId();
	const attachmentId = newId();
	const at = now();
	let stored = false;
	let saved = false;
	try {
		const { sha256 } = await storeAttachment({
			db,
			profileKey,
			profileId,
			documentId,
			attachmentId,
			bytes,
			now
		});
		stored = true;
		await vault.saveRecord({
			profileId,
			kind: 'document-reference',
			id: documentId,
			data: {
				title: titleFor(file.name, at),
				contentType: header,
				size: bytes.length,
				hash: sha256,
				date: new Date(at).toISOString(),
				attachmentId
			}
		});
		saved = true;
		const row: ImportRow = {
			id: importId,
			profileId,
			documentId,
			attachmentId,
			state: 'queued',
			percent: 0,
			createdAt: at,
			updatedAt: at
		};
		await db.imports.put(row);
		return row;
	} catch (error) {
		if (saved) await removeDocument({ db, vault, profileId, documentId }).catch(() => {});
		if (stored) await deleteAttachment({ db, attachmentId }).catch(() => {});
		throw error;
	} finally {
		bytes.fill(0);
	}

	async function refuse(reason: FileProblem): Promise<ImportRow> {
		const at = now();
		const row: ImportRow = {
			id: importId,
			profileId,
			documentId: '',
			attachmentId: '',
			state: 'failed',
			percent: 0,
			error: { code: reason.code, message: reason.message },
			createdAt: at,
			updatedAt: at
		};
		await db.imports.put(row);
		return row;
	}
}

// The file's name without its extension, as a person would title the document.
function titleFor(name: string, at: number): string {
	const base = name.replace(/\.[A-Za-z0-9]{1,5}$/, '').trim();
	return base || `Report added ${new Date(at).toISOString().slice(0, 10)}`;
}

/**
 * A document that never synced leaves no trace (its record and outbox rows go); one that
 * already reached the server is deleted the ordinary way, so the deletion syncs too.
 */
export async function removeDocument({
	db,
	vault,
	profileId,
	documentId
}: {
	db: UserDb;
	vault: Pick<ReportVault, 'deleteRecord'>;
	profileId: string;
	documentId: string;
}): Promise<void> {
	const ref = { profileId, id: documentId };
	const unsent = await db.transaction('rw', db.profileRecords, db.outbox, async () => {
		const pending = await db.outbox
			.filter((row) => row.entityId === documentId && row.profileId === profileId)
			.toArray();
		const onlyHere = pending.length > 0 && pending.every((row) => !row.entityIds);
		if (!onlyHere) return false;
		// Pushed before? Then the server has it and only a tombstone takes it away everywhere.
		const record = await db.profileRecords.get(recordKey(ref));
		if (!record) return true;
		await db.outbox.bulkDelete(pending.map((row) => row.seq));
		await db.profileRecords.delete(recordKey(ref));
		return true;
	});
	if (!unsent) await vault.deleteRecord(ref);
}
