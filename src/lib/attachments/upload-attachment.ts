import { readEnvelopeKeyVersion } from '../crypto/envelope.ts';
import type { UserDb } from '../db/index.ts';
import { ATTACHMENT_CHUNK_BYTES } from '../shared/attachments.ts';
import { createAttachmentApi } from './attachment-api.ts';
import { AttachmentCorruptError, AttachmentNotFoundError } from './errors.ts';

/**
 * Sends the chunks the server lacks, in order. It asks the server first which it holds, so a
 * retry after a drop (or after an answer lost on the way back) sends only what is missing, and
 * records each confirmed chunk in `uploadedChunks` as it goes. Each chunk goes under the key
 * version it was sealed with. Throws AttachmentNetworkError (retry later: it resumes) or
 * AttachmentRefusedError (the server said no: code and message). The profile must be on the
 * server first: a profile made offline is registered by the next sync, and until then the
 * server answers 404 profile_not_found, as it does to a removed member.
 */
export async function uploadAttachment({
	db,
	fetch,
	attachmentId,
	onProgress,
	signal,
	baseUrl
}: {
	db: UserDb;
	fetch: typeof globalThis.fetch;
	attachmentId: string;
	onProgress?: (sent: number, total: number) => void;
	signal?: AbortSignal;
	baseUrl?: string;
}): Promise<void> {
	const row = await db.attachments.get(attachmentId);
	if (!row) throw new AttachmentNotFoundError(attachmentId);
	const { profileId, chunkCount: count, size } = row;
	const sentAfter = (chunks: number) => Math.min(size, chunks * ATTACHMENT_CHUNK_BYTES);
	if (row.state !== 'local') {
		onProgress?.(size, size);
		return;
	}

	const api = createAttachmentApi({ fetch, signal, baseUrl });
	const address = { profileId, attachmentId };
	const held = new Set((await api.status(address))?.chunks ?? []);
	let confirmed = 0;
	const advance = async () => {
		while (confirmed < count && held.has(confirmed)) confirmed++;
		if (confirmed > row.uploadedChunks) {
			row.uploadedChunks = confirmed;
			await db.attachments.update(attachmentId, {
				uploadedChunks: confirmed,
				updatedAt: Date.now()
			});
		}
		onProgress?.(sentAfter(confirmed), size);
	};
	await advance();

	for (let index = confirmed; index < count; index++) {
		if (held.has(index)) continue;
		signal?.throwIfAborted();
		const chunk = await db.attachmentChunks.get([attachmentId, index]);
		if (!chunk) {
			throw new AttachmentCorruptError(
				`Part ${index + 1} of ${count} of this file is missing on this device.`,
				index
			);
		}
		const status = await api.putChunk(address, {
			index,
			count,
			keyVersion: readEnvelopeKeyVersion(chunk.envelope),
			envelope: chunk.envelope
		});
		for (const stored of status.chunks) held.add(stored);
		await advance();
	}

	await db.attachments.update(attachmentId, {
		state: 'uploaded',
		uploadedChunks: count,
		updatedAt: Date.now()
	});
}
