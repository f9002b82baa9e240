import type { ProfileKey } from '../crypto/profile-key.ts';
import { isQuotaExceeded, StorageFullError, type AttachmentRow, type UserDb } from '../db/index.ts';
import { ATTACHMENT_CHUNK_BYTES } from '../shared/attachments.ts';
import { IMPORT_MAX_FILE_BYTES } from '../shared/imports.ts';
import { sealChunk } from './chunk-envelope.ts';
import { AttachmentExistsError, AttachmentTooLargeError } from './errors.ts';
import { sha256Hex } from './sha256-hex.ts';

// An empty file is one empty chunk, so every attachment has at least one and a reader can tell
// "empty" from "missing".
export const chunkCountFor = (size: number) =>
	Math.max(1, Math.ceil(size / ATTACHMENT_CHUNK_BYTES));

/**
 * Seals `bytes` in chunks under `profileKey` and writes the row ('local', nothing uploaded) and
 * every chunk in one transaction: a file is on the device whole or not at all. Returns the row
 * and the file's SHA-256 (hex), for its DocumentReference.
 */
export async function storeAttachment({
	db,
	profileKey,
	profileId,
	documentId,
	attachmentId,
	bytes,
	now = Date.now
}: {
	db: UserDb;
	profileKey: ProfileKey;
	profileId: string;
	documentId: string;
	attachmentId: string;
	bytes: Uint8Array;
	now?: () => number;
}): Promise<{ attachment: AttachmentRow; sha256: string }> {
	if (bytes.length > IMPORT_MAX_FILE_BYTES) {
		throw new AttachmentTooLargeError(bytes.length, IMPORT_MAX_FILE_BYTES);
	}
	const count = chunkCountFor(bytes.length);
	const [sha256, envelopes] = await Promise.all([
		sha256Hex(bytes),
		Promise.all(
			Array.from({ length: count }, (_, index) =>
				sealChunk(
					{ profileId, attachmentId, index, count },
					profileKey,
					bytes.subarray(index * ATTACHMENT_CHUNK_BYTES, (index + 1) * ATTACHMENT_CHUNK_BYTES)
				)
			)
		)
	]);
	const attachment: AttachmentRow = {
		id: attachmentId,
		profileId,
		documentId,
		keyVersion: profileKey.version,
		chunkCount: count,
		size: bytes.length,
		state: 'local',
		uploadedChunks: 0,
		updatedAt: now()
	};
	try {
		await db.transaction('rw', db.attachments, db.attachmentChunks, async () => {
			if (await db.attachments.get(attachmentId)) throw new AttachmentExistsError(attachmentId);
			await db.attachments.add(attachment);
			await db.attachmentChunks.bulkAdd(
				envelopes.map((envelope, index) => ({ attachmentId, index, envelope }))
			);
		});
	} catch (cause) {
		throw isQuotaExceeded(cause) ? new StorageFullError({ cause }) : cause;
	}
	return { attachment, sha256 };
}
