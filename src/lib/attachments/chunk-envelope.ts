import { DecryptionError } from '../crypto/errors.ts';
import { openEnvelope, sealEnvelope, type EnvelopeBinding } from '../crypto/envelope.ts';
import type { ProfileKey } from '../crypto/profile-key.ts';
import { AttachmentCorruptError } from './errors.ts';

export interface ChunkPosition {
	profileId: string;
	attachmentId: string;
	index: number;
	count: number;
}

// Each chunk's associated data names its profile, its file, its place and how many there are,
// so a chunk moved to another index or file fails to open, and so does a file cut short (its
// chunks were sealed for a larger count). The server cannot rearrange what it stores.
export function chunkBinding({ profileId, attachmentId, index, count }: ChunkPosition) {
	return {
		profileId,
		entityId: attachmentId,
		kind: `attachment-chunk:${index}/${count}`
	} satisfies EnvelopeBinding;
}

export function sealChunk(
	position: ChunkPosition,
	profileKey: ProfileKey,
	plaintext: Uint8Array
): Promise<Uint8Array<ArrayBuffer>> {
	return sealEnvelope({ profileKey, binding: chunkBinding(position), plaintext });
}

export async function openChunk(
	position: ChunkPosition,
	profileKey: ProfileKey,
	envelope: Uint8Array
): Promise<Uint8Array<ArrayBuffer>> {
	try {
		return await openEnvelope({ profileKey, binding: chunkBinding(position), envelope });
	} catch (error) {
		if (!(error instanceof DecryptionError)) throw error;
		throw new AttachmentCorruptError(
			`Part ${position.index + 1} of ${position.count} of this file does not open: it was damaged or does not belong here.`,
			position.index,
			{ cause: error }
		);
	}
}
