import { readEnvelopeKeyVersion } from '../crypto/envelope.ts';
import type { ProfileKey } from '../crypto/profile-key.ts';
import type { UserDb } from '../db/index.ts';
import { openChunk, sealChunk } from './chunk-envelope.ts';
import { AttachmentNotFoundError } from './errors.ts';

/**
 * After a key rotation (a member was removed) the server refuses chunks under the old version
 * (`stale_key_version`). This seals the chunks not yet confirmed as uploaded again under
 * `profileKey`, the profile's current key, in one transaction; chunks the server holds already
 * keep their version, and a reader opens each chunk with the key its header names.
 */
export async function resealAttachment({
	db,
	attachmentId,
	profileKey,
	openKey,
	now = Date.now
}: {
	db: UserDb;
	attachmentId: string;
	profileKey: ProfileKey;
	// The key an existing chunk was sealed under, by version.
	openKey: (keyVersion: number) => Promise<ProfileKey>;
	now?: () => number;
}): Promise<void> {
	const row = await db.attachments.get(attachmentId);
	if (!row) throw new AttachmentNotFoundError(attachmentId);
	const { profileId, chunkCount: count } = row;
	const chunks = await db.attachmentChunks
		.where('[attachmentId+index]')
		.between([attachmentId, row.uploadedChunks], [attachmentId, count - 1], true, true)
		.toArray();
	const resealed = await Promise.all(
		chunks
			.filter((chunk) => readEnvelopeKeyVersion(chunk.envelope) !== profileKey.version)
			.map(async (chunk) => {
				const position = { profileId, attachmentId, index: chunk.index, count };
				const old = await openKey(readEnvelopeKeyVersion(chunk.envelope));
				const plaintext = await openChunk(position, old, chunk.envelope);
				return { ...chunk, envelope: await sealChunk(position, profileKey, plaintext) };
			})
	);
	await db.transaction('rw', db.attachments, db.attachmentChunks, async () => {
		await db.attachmentChunks.bulkPut(resealed);
		await db.attachments.update(attachmentId, { keyVersion: profileKey.version, updatedAt: now() });
	});
}
