import {
	DecryptionError,
	openEnvelope,
	readEnvelopeKeyVersion,
	sealEnvelope,
	type ProfileKey
} from '../crypto/index.ts';
import { NoteKeyUnavailableError, NoteUpdateUndecryptableError } from './errors.ts';
import { decodeNotePayload, encodeNotePayload, type NotePayload } from './note-payload.ts';

export type NotePayloadKind = 'note-update' | 'note-snapshot';

// The profile keys a note needs: any version to open what was sealed earlier, the current one to
// seal. The sync client's ProfileKeyRing (src/lib/sync/profile-key-ring.ts) has this shape.
export interface NoteKeys {
	get(profileId: string, keyVersion: number): Promise<ProfileKey>;
	current(profileId: string): Promise<ProfileKey>;
}

export interface NoteAddress {
	profileId: string;
	docId: string;
	kind: NotePayloadKind;
}

// The binding is the sync mutation's own (profile, entity = the note's docId, sync kind), so the
// bytes stored here are the bytes pushed, and a ciphertext moved to another note, profile or
// kind fails to open.
const binding = ({ profileId, docId, kind }: NoteAddress) => ({ profileId, entityId: docId, kind });

export async function sealNotePayload({
	profileKey,
	address,
	payload
}: {
	profileKey: ProfileKey;
	address: NoteAddress;
	payload: NotePayload;
}): Promise<Uint8Array<ArrayBuffer>> {
	return sealEnvelope({
		profileKey,
		binding: binding(address),
		plaintext: encodeNotePayload(payload)
	});
}

// Throws NoteUpdateUndecryptableError for anything the crypto refuses, NoteUpdateMalformedError
// for an authentic envelope whose contents are not a note payload. The profile key is looked up
// by the version in the envelope's header; failing to get that key (not held, not fetchable
// offline) says nothing about the envelope: NoteKeyUnavailableError.
export async function openNotePayload({
	keys,
	address,
	envelope
}: {
	keys: NoteKeys;
	address: NoteAddress;
	envelope: Uint8Array;
}): Promise<NotePayload> {
	let keyVersion: number;
	try {
		keyVersion = readEnvelopeKeyVersion(envelope);
	} catch (cause) {
		throw new NoteUpdateUndecryptableError('The note envelope is damaged', { cause });
	}
	let profileKey: ProfileKey;
	try {
		profileKey = await keys.get(address.profileId, keyVersion);
	} catch (cause) {
		throw new NoteKeyUnavailableError(keyVersion, { cause });
	}
	let plaintext: Uint8Array;
	try {
		plaintext = await openEnvelope({ profileKey, binding: binding(address), envelope });
	} catch (cause) {
		if (!(cause instanceof DecryptionError)) throw cause;
		throw new NoteUpdateUndecryptableError(
			`This ${address.kind} does not open as note ${address.docId}`,
			{ cause }
		);
	}
	return decodeNotePayload(plaintext);
}
