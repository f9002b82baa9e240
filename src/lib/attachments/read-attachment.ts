import { readEnvelopeKeyVersion } from '../crypto/envelope.ts';
import type { ProfileKey } from '../crypto/profile-key.ts';
import { isQuotaExceeded, type AttachmentRow, type UserDb } from '../db/index.ts';
import { createAttachmentApi, type AttachmentApi } from './attachment-api.ts';
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

// Another member's file, chunk by chunk. Each chunk is kept on the device as it arrives (sealed,
// as it came, and with no attachment row until the whole file has been checked), so a download
// cut off by a dropped connection goes on from where it stopped rather than from the start.
async function download({
	db,
	api,
	address,
	count,
	onProgress
}: {
	db: UserDb;
	api: AttachmentApi;
	address: { profileId: string; attachmentId: string };
	count: number;
	onProgress?: (received: number, total: number) => void;
}): Promise<Uint8Array[]> {
	const { attachmentId } = address;
	const parts: (Uint8Array | undefined)[] = new Array(count);
	const held = await db.attachmentChunks
		.where('[attachmentId+index]')
		.between([attachmentId, 0], [attachmentId, count - 1], true, true)
		.toArray();
	for (const chunk of held) parts[chunk.index] = chunk.envelope;
	let received = held.length;
	onProgress?.(received, count);
	for (let index = 0; index < count; index++) {
		if (parts[index]) continue;
		const envelope = await api.getChunk(address, index);
		parts[index] = envelope;
		// Best effort: on a full disk the file is still read, only not resumable.
		await db.attachmentChunks.put({ attachmentId, index, envelope }).catch((error: unknown) => {
			if (!isQuotaExceeded(error)) throw error;
		});
		onProgress?.(++received, count);
	}
	return parts as Uint8Array[];
}

// A download that does not open or match its hash leaves none of its chunks behind, so the next
// attempt fetches the file afresh.
async function dropDownloaded(db: UserDb, attachmentId: string): Promise<void> {
	await db.transaction('rw', db.attachments, db.attachmentChunks, async () => {
		const row = await db.attachments.get(attachmentId);
		if (row && row.state !== 'remote') return; // this device's own file: not a download
		await db.attachmentChunks
			.where('[attachmentId+index]')
			.between([attachmentId, 0], [attachmentId, Infinity])
			.delete();
		if (row) await db.attachments.delete(attachmentId);
	});
}

/**
 * The file's plaintext. Chunks on this device are opened as they are; another member's file is
 * fetched from the server (resuming where a cut-off download stopped), opened and checked, and
 * only then recorded as kept here (sealed, as it came) so it opens offline next time. `sha256`
 * (the DocumentReference's hash) is checked when given.
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
		envelopes = await download({ db, api, address, count: status.chunkCount, onProgress });
	}

	let plaintext: Uint8Array<ArrayBuffer>;
	try {
		plaintext = await openAll(address, envelopes, profileKey);
		if (sha256 !== undefined && (await sha256Hex(plaintext)) !== sha256.toLowerCase()) {
			throw new AttachmentCorruptError('This file is not the one its record describes (SHA-256).');
		}
	} catch (error) {
		if (downloaded && error instanceof AttachmentCorruptError) {
			await dropDownloaded(db, attachmentId).catch(() => {});
		}
		throw error;
	}
	if (downloaded) {
		const kept = { ...address, documentId: row?.documentId ?? documentId ?? '' };
		await keepDownloaded(db, row, kept, envelopes, plaintext.length, now);
	}
	return plaintext;
}

// Records a downloaded file as kept: its chunks were stored as they arrived (download), so only
// the row is written, and any stray chunk past the file's end goes. A chunk a full disk kept out
// is fetched again the next time the file is opened.
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
				.between([attachmentId, count], [attachmentId, Infinity])
				.delete();
			await db.attachments.put(kept);
		});
	} catch (error) {
		if (!isQuotaExceeded(error)) throw error;
	}
}
