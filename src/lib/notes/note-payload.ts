import { NoteUpdateMalformedError } from './errors.ts';

// What a note envelope holds: format(1) | payload id(16, a UUID's bytes) | Yjs update (v1
// encoding). Binary rather than JSON, so a 500 KB snapshot is not copied through base64 twice.
// The id is sealed, so the server cannot relabel a payload to slip it past the replay check.
export const NOTE_PAYLOAD_FORMAT = 1;
const ID_BYTES = 16;
const HEADER_BYTES = 1 + ID_BYTES;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface NotePayload {
	id: string;
	update: Uint8Array;
}

export function encodeNotePayload({ id, update }: NotePayload): Uint8Array<ArrayBuffer> {
	const lower = id.toLowerCase();
	if (!UUID.test(lower)) throw new TypeError(`A note payload id is a UUID, not "${id}"`);
	const bytes = new Uint8Array(HEADER_BYTES + update.length);
	bytes[0] = NOTE_PAYLOAD_FORMAT;
	const hex = lower.replaceAll('-', '');
	for (let i = 0; i < ID_BYTES; i++) bytes[1 + i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
	bytes.set(update, HEADER_BYTES);
	return bytes;
}

export function decodeNotePayload(bytes: Uint8Array): NotePayload {
	if (bytes.length <= HEADER_BYTES) {
		throw new NoteUpdateMalformedError(`A note payload of ${bytes.length} bytes holds no update`);
	}
	if (bytes[0] !== NOTE_PAYLOAD_FORMAT) {
		throw new NoteUpdateMalformedError(`Unknown note payload format ${bytes[0]}`);
	}
	let hex = '';
	for (let i = 1; i < HEADER_BYTES; i++) hex += bytes[i]!.toString(16).padStart(2, '0');
	const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
	return { id, update: bytes.subarray(HEADER_BYTES) };
}
