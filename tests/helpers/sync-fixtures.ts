import { randomBytes, randomUUID } from 'node:crypto';
import type { Mutation } from '../../src/lib/shared/sync.ts';

/**
 * Bytes shaped like an envelope sealed under `keyVersion` (src/lib/crypto/envelope.ts):
 * version 1 | keyVersion | 12-byte IV | ciphertext + tag. The server reads only the header.
 */
export function fakeEnvelope(keyVersion: number, bodyBytes = 48): string {
	const bytes = Buffer.alloc(1 + 4 + 12 + bodyBytes);
	bytes[0] = 1;
	bytes.writeUInt32BE(keyVersion, 1);
	randomBytes(12 + bodyBytes).copy(bytes, 5);
	return bytes.toString('base64url');
}

export function newMutation(profileId: string, overrides: Partial<Mutation> = {}): Mutation {
	const keyVersion = overrides.keyVersion ?? 1;
	return {
		mutationId: randomUUID(),
		profileId,
		entityId: `record-${randomUUID().slice(0, 8)}`,
		kind: 'record',
		keyVersion,
		ciphertext: fakeEnvelope(keyVersion),
		deleted: false,
		...overrides
	};
}

/** A wrapped profile key stand-in: the server stores it and never opens it. */
export const fakeWrappedKey = () => randomBytes(97).toString('base64url');
