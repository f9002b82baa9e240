import {
	ATTACHMENT_ENVELOPE_OVERHEAD,
	ATTACHMENT_SEALED_CHUNK_BYTES,
	type AttachmentStatus
} from '../../../src/lib/shared/attachments.ts';
import type { ProfileRole } from '../../../src/lib/shared/profiles.ts';
import { ApiError } from '../errors.ts';
import type { Queryable } from './store.ts';

// Attachment chunks (…_attachments.sql), inside the caller's transaction as `authenticated`: the
// checks here answer with the specific error, the policies are the second wall.

export interface ChunkToStore {
	profileId: string;
	attachmentId: string;
	index: number;
	count: number;
	keyVersion: number;
	ciphertext: Uint8Array;
}

interface ChunkRow extends Record<string, unknown> {
	chunk_index: number;
	chunk_count: number;
}

const profileNotFound = () =>
	new ApiError(
		404,
		'profile_not_found',
		'There is no such profile, or you are not a member of it.'
	);

const attachmentNotFound = () =>
	new ApiError(
		404,
		'attachment_not_found',
		'The server holds no such file (or not this part of it) for this profile.'
	);

/** The caller's current role; an unknown profile and one they are not in look the same (404). */
async function callerRole(tx: Queryable, userId: string, profileId: string): Promise<ProfileRole> {
	const [row] = await tx.query<{ role: ProfileRole }>(
		`select role from charta.profile_members
		 where profile_id = $1 and user_id = $2 and revoked_at is null`,
		[profileId, userId]
	);
	if (!row) throw profileNotFound();
	return row.role;
}

const readChunkRows = (tx: Queryable, profileId: string, attachmentId: string) =>
	tx.query<ChunkRow>(
		`select chunk_index, chunk_count from charta.attachment_chunks
		 where profile_id = $1 and attachment_id = $2 order by chunk_index`,
		[profileId, attachmentId]
	);

function toStatus(attachmentId: string, rows: ChunkRow[]): AttachmentStatus {
	const chunkCount = rows[0]!.chunk_count;
	return {
		attachmentId,
		chunkCount,
		chunks: rows.map((row) => row.chunk_index),
		complete: rows.length === chunkCount
	};
}

// The envelope's header, as far as the server may read it (sync/ciphertext.ts does the same for
// mutations). Every chunk but the last is a full one, so the count bounds the file's size.
function checkEnvelope(chunk: ChunkToStore): void {
	const { ciphertext, index, count, keyVersion } = chunk;
	const refuse = (message: string) => new ApiError(400, 'invalid_chunk', message);
	if (ciphertext.length < ATTACHMENT_ENVELOPE_OVERHEAD) {
		throw refuse(`The chunk is ${ciphertext.length} bytes, shorter than any sealed chunk.`);
	}
	if (ciphertext[0] !== 1) throw refuse(`The chunk has envelope version ${ciphertext[0]}.`);
	const sealedUnder = Buffer.from(ciphertext.buffer, ciphertext.byteOffset, 5).readUInt32BE(1);
	if (sealedUnder !== keyVersion) {
		throw refuse(
			`The chunk is sealed under key version ${sealedUnder}; the request says ${keyVersion}.`
		);
	}
	if (index < count - 1 && ciphertext.length !== ATTACHMENT_SEALED_CHUNK_BYTES) {
		throw refuse(
			`Every chunk but the last is ${ATTACHMENT_SEALED_CHUNK_BYTES} bytes; chunk ${index} is ${ciphertext.length}.`
		);
	}
}

/**
 * Stores one sealed chunk (PUT …/chunks/{index}). Idempotent: the same bytes again change
 * nothing. The profile's row is locked first, as a push does, so a key rotation cannot slip in
 * between the key-version check and the insert, and two chunks of one file cannot disagree on
 * the count. → the attachment's status after the write, and whether this request stored it.
 */
export async function storeChunk(
	tx: Queryable,
	userId: string,
	chunk: ChunkToStore
): Promise<{ created: boolean; status: AttachmentStatus }> {
	const { profileId, attachmentId, index, count, keyVersion, ciphertext } = chunk;
	const role = await callerRole(tx, userId, profileId);
	if (role === 'viewer') {
		throw new ApiError(403, 'read_only', 'Your role on this profile (viewer) cannot change it.');
	}
	const [profile] = await tx.query<{ current_key_version: number }>(
		`select current_key_version from charta.profiles where id = $1 for no key update`,
		[profileId]
	);
	if (!profile) throw profileNotFound();
	if (keyVersion !== profile.current_key_version) {
		throw new ApiError(
			409,
			'stale_key_version',
			`The profile is at key version ${profile.current_key_version}; this chunk is under version ${keyVersion}.`,
			{ currentKeyVersion: profile.current_key_version }
		);
	}
	checkEnvelope(chunk);

	const rows = await readChunkRows(tx, profileId, attachmentId);
	const stored = rows[0]?.chunk_count;
	if (stored !== undefined && stored !== count) {
		throw new ApiError(
			409,
			'chunk_count_mismatch',
			`This file has ${stored} chunks on the server; the request says ${count}.`,
			{ chunkCount: stored }
		);
	}
	const bytes = Buffer.from(ciphertext.buffer, ciphertext.byteOffset, ciphertext.byteLength);
	if (rows.some((row) => row.chunk_index === index)) {
		const [same] = await tx.query<{ same: boolean }>(
			`select ciphertext = $4 as same from charta.attachment_chunks
			 where profile_id = $1 and attachment_id = $2 and chunk_index = $3`,
			[profileId, attachmentId, index, bytes]
		);
		if (!same?.same) {
			throw new ApiError(
				409,
				'chunk_conflict',
				`Chunk ${index} of this file is on the server already, with other bytes.`
			);
		}
		return { created: false, status: toStatus(attachmentId, rows) };
	}
	await tx.query(
		`insert into charta.attachment_chunks
			(profile_id, attachment_id, chunk_index, chunk_count, key_version, ciphertext, author_id)
		 values ($1, $2, $3, $4, $5, $6, $7)`,
		[profileId, attachmentId, index, count, keyVersion, bytes, userId]
	);
	const after = [...rows, { chunk_index: index, chunk_count: count }].sort(
		(a, b) => a.chunk_index - b.chunk_index
	);
	return { created: true, status: toStatus(attachmentId, after) };
}

/** GET …/attachments/{attachmentId}: which chunks the server holds. */
export async function readChunkStatus(
	tx: Queryable,
	userId: string,
	profileId: string,
	attachmentId: string
): Promise<AttachmentStatus> {
	await callerRole(tx, userId, profileId);
	const rows = await readChunkRows(tx, profileId, attachmentId);
	if (rows.length === 0) throw attachmentNotFound();
	return toStatus(attachmentId, rows);
}

/** GET …/chunks/{index}: the sealed bytes, as stored. */
export async function readChunk(
	tx: Queryable,
	userId: string,
	{ profileId, attachmentId, index }: { profileId: string; attachmentId: string; index: number }
): Promise<{ ciphertext: Uint8Array; count: number }> {
	await callerRole(tx, userId, profileId);
	const [row] = await tx.query<{ ciphertext: Uint8Array; chunk_count: number }>(
		`select ciphertext, chunk_count from charta.attachment_chunks
		 where profile_id = $1 and attachment_id = $2 and chunk_index = $3`,
		[profileId, attachmentId, index]
	);
	if (!row) throw attachmentNotFound();
	return { ciphertext: row.ciphertext, count: row.chunk_count };
}
