import { z } from 'zod';
import { invalidRequest } from '../invalid-request.ts';

// The pull cursor, and the SSE event id: base64url of {"v":1,"p":{"<profileId>":<seq>,…}}, the
// last seq the client holds per profile. A map rather than one global position, so a profile
// shared with the caller later is pulled from its first change, not from where the others were.

const MAX_CURSOR_CHARS = 200_000;
const MAX_CURSOR_PROFILES = 2_000;

const Position = z
	.record(z.uuid(), z.number().int().min(0).max(Number.MAX_SAFE_INTEGER))
	.refine((map) => Object.keys(map).length <= MAX_CURSOR_PROFILES, {
		message: `names more than ${MAX_CURSOR_PROFILES} profiles`
	});
const CursorBody = z.strictObject({ v: z.literal(1), p: Position });

/** Last seq held per profile id. */
export type Position = Record<string, number>;

export function encodeCursor(position: Position): string {
	return Buffer.from(JSON.stringify({ v: 1, p: position })).toString('base64url');
}

/** '' or undefined → the beginning; anything that is not a cursor we made → 400 invalid_request. */
export function decodeCursor(cursor: string | undefined, path: PropertyKey[]): Position {
	if (cursor === undefined || cursor === '') return {};
	const invalid = (message: string) => invalidRequest([{ path, message }]);
	if (cursor.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
		throw invalid('is not a cursor this server handed out');
	}
	const bytes = Buffer.from(cursor, 'base64url');
	// Buffer's decoder skips what it cannot read; only a canonical string survives the round trip.
	if (bytes.toString('base64url') !== cursor)
		throw invalid('is not a cursor this server handed out');
	let json: unknown;
	try {
		json = JSON.parse(bytes.toString('utf8'));
	} catch {
		throw invalid('is not a cursor this server handed out');
	}
	const parsed = CursorBody.safeParse(json);
	if (!parsed.success) throw invalid('is not a cursor this server handed out');
	return { ...parsed.data.p };
}
