import { readEnvelopeKeyVersion } from '../crypto/envelope.ts';
import type { ProfileKey } from '../crypto/profile-key.ts';
import { isQuotaExceeded, type AttachmentRow, type UserDb } from '../db/index.ts';
import { createAttachmentApi } from './attachment-api.ts';
import { openChunk } from './chunk-envelope.ts';
import { AttachmentCorruptError, AttachmentNotFoundError } from './errors.ts';
import { sha256Hex } from './sha256-hex.ts';

type KeyFor = (keyVersion: number) => Promise<ProfileKey>;

async function openAll(
	{ profileId, attachmentId }: { profileId: string; attachmentId: string },
	envelopes: Uint8Array[],
	profileKey: KeyFor
): Promise<Uint8Array<ArrayBuffer>> {
	const count = envelopes.length;
	const parts = await Promise.all(
		envelopes.map(async (envelope, index) => {
			const position = { profileId, attachmentId, index, count };
			let keyVersion: number;
			try {
				keyVersion = readEnvelopeKeyVersion(envelope);
			} catch (cause) {
				throw new AttachmentCorruptError(
					`Part ${index + 1} of ${count} of this file is not a sealed part at all.`,
					index,
					{ cause }
				);
			}
			return openChunk(position, await profileKey(keyVersion), envelope);
		})
	);
	const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.length;
	}
	return out;
}

async function localEnvelopes(db: UserDb, row: AttachmentRow | undefined) {
	if (!row) return null;
	const chunks = await db.attachmentChunks
		.where('[attachmentId+index]')
		.between([row.id, 0], [row.id, row.chunkCount - 1], true, true)
		.toArray();
	return chunks.length === row.chunkCount ? chunks.map((chunk) => chunk.envelope) : null;
}

/**
 * The file's plaintext. Chunks on this device are opened as they are; another member's file is
 * fetched whole from the server, opened and checked, and only then kept here (sealed, as it came)
 * so it opens offline next time. `sha256` (the DocumentReference's hash) is checked when given.
 * Throws AttachmentCorruptError if any chunk fails to open, AttachmentNotFoundError if the server
 * holds no such file, AttachmentNetworkError when it cannot be reached.
 */
export async function readAttachment({
	db,
	fetch,
	profileId,
	attachmentId,
	profileKey,
	sha256,
	documentId,
	onProgress,
	baseUrl,
	now = Date.now
}: {
	db: UserDb;
	fetch: typeof globalThis.fetch;
	profileId: string;
	attachmentId: string;
	profileKey: KeyFor;
	sha256?: string;
	// The DocumentReference, recorded on the row kept for a downloaded file.
	documentId?: string;
	// Downloaded chunks of the total, while fetching from the server.
	onProgress?: (received: number, total: number) => void;
	baseUrl?: string;
	now?: () => number;
}): Promise<Uint8Array> {
	const address = { profileId, attachmentId };
	const row = await db.attachments.get(attachmentId);
	if (row && row.profileId !== profileId) throw new AttachmentNotFoundError(attachmentId);

	let envelopes = await localEnvelopes(db, row);
	const downloaded = envelopes === null;
	if (envelopes === null) {
		const api = createAttachmentApi({ fetch, baseUrl });
		const status = await api.status(address);
		// Still uploading from the device that added it: not here yet, rather than broken.
		if (!status?.complete) throw new AttachmentNotFoundError(attachmentId);
		const fetched: Uint8Array[] = [];
		onProgress?.(0, status.chunkCount);
		for (let index = 0; index < status.chunkCount; index++) {
			fetched.push(await api.getChunk(address, index));
			onProgress?.(index + 1, status.chunkCount);
		}
		envelopes = fetched;
	}

	const plaintext = await openAll(address, envelopes, profileKey);
	if (sha256 !== undefined && (await sha256Hex(plaintext)) !== sha256.toLowerCase()) {
		throw new AttachmentCorruptError('This file is not the one its record describes (SHA-256).');
	}
	if (downloaded) {
		const kept = { ...address, documentId: row?.documentId ?? documentId ?? '' };
		await keepDownloaded(db, row, kept, envelopes, plaintext.length, now);
	}
	return plaintext;
}

// Best effort: a full disk only means the next open downloads again.
async function keepDownloaded(
	db: UserDb,
	row: AttachmentRow | undefined,
	{
		profileId,
		attachmentId,
		documentId
	}: { profileId: string; attachmentId: string; documentId: string },
	envelopes: Uint8Array[],
	size: number,
	now: () => number
): Promise<void> {
	const count = envelopes.length;
	const kept: AttachmentRow = {
		id: attachmentId,
		profileId,
		documentId,
		keyVersion: readEnvelopeKeyVersion(envelopes[0]!),
		chunkCount: count,
		size,
		state: row?.state === 'uploaded' ? 'uploaded' : 'remote',
		uploadedChunks: count,
		updatedAt: now()
	};
	try {
		await db.transaction('rw', db.attachments, db.attachmentChunks, async () => {
			await db.attachmentChunks
				.where('[attachmentId+index]')
				.between([attachmentId, 0], [attachmentId, Infinity])
				.delete();
			await db.attachments.put(kept);
			await db.attachmentChunks.bulkPut(
				envelopes.map((envelope, index) => ({ attachmentId, index, envelope }))
			);
		});
	} catch (error) {
		if (!isQuotaExceeded(error)) throw error;
	}
}
