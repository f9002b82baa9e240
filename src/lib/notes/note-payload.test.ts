import { describe, expect, it } from 'vitest';
import { NoteUpdateMalformedError } from './errors.ts';
import { decodeNotePayload, encodeNotePayload } from './note-payload.ts';

describe('note payload', () => {
	it('round-trips the id and the update', () => {
		const id = crypto.randomUUID();
		const update = new Uint8Array([1, 2, 3, 250]);
		const bytes = encodeNotePayload({ id, update });
		expect(bytes.length).toBe(1 + 16 + 4);
		expect(decodeNotePayload(bytes)).toEqual({ id, update });
	});

	it('refuses an unknown format or a payload without an update', () => {
		const bytes = encodeNotePayload({ id: crypto.randomUUID(), update: new Uint8Array([0]) });
		expect(() => decodeNotePayload(bytes.subarray(0, 17))).toThrow(NoteUpdateMalformedError);
		bytes[0] = 2;
		expect(() => decodeNotePayload(bytes)).toThrow(NoteUpdateMalformedError);
	});

	it('refuses an id that is not a UUID', () => {
		expect(() => encodeNotePayload({ id: 'abc', update: new Uint8Array([0]) })).toThrow(TypeError);
	});
});
