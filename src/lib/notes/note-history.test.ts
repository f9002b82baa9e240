import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { toBase64Url } from '../crypto/index.ts';
import { sealNotePayload } from './note-envelope.ts';
import {
	HISTORY_LIMIT,
	HISTORY_SPACING_MS,
	addHistoryEntry,
	listNoteHistory,
	readHistoryText
} from './note-history.ts';
import { applyRemoteNoteUpdate } from './remote-note-changes.ts';
import { captureUpdate, noteFixture, type } from './test-fixture.ts';

let fx: Awaited<ReturnType<typeof noteFixture>>;
beforeEach(async () => {
	fx = await noteFixture();
});
afterEach(() => fx.cleanup());

const textAt = (seq: number) =>
	readHistoryText({ db: fx.db, keys: fx.keys, profileId: fx.profileId, docId: fx.docId, seq });

describe('note history', () => {
	it('keeps a snapshot that goes out to the server, and not one that stays on this device', async () => {
		const note = await fx.openNote({ now: () => 1_000 });
		type(note.text, 0, 'Seen at home.');
		await note.persistence.flush();
		// Everything pushed already: a compaction of this device's own log is not a version.
		await fx.db.notePushes.clear();
		await note.persistence.compact();
		expect(await listNoteHistory(fx.db, fx.docId)).toEqual([]);

		// Published (as when a person leaves the note after editing it): a version.
		type(note.text, note.text.length, ' BP 128/82.');
		await note.persistence.compact({ publish: true });
		const [entry] = await listNoteHistory(fx.db, fx.docId);
		expect(entry).toEqual({ seq: 1, at: 1_000 });
		expect(await textAt(entry!.seq)).toBe('Seen at home. BP 128/82.');
		// Later edits do not change a kept version.
		type(note.text, 0, 'Later: ');
		await note.persistence.flush();
		expect(await textAt(entry!.seq)).toBe('Seen at home. BP 128/82.');
		await note.persistence.destroy();
	});

	it('keeps a pulled snapshot with its author and the server’s time, newest first', async () => {
		const other = new Y.Doc();
		const profileKey = await fx.keys.current(fx.profileId);
		const authorId = crypto.randomUUID();
		for (const [i, words] of ['first version', ', second'].entries()) {
			captureUpdate(other, () => other.getText('body').insert(other.getText('body').length, words));
			const envelope = await sealNotePayload({
				profileKey,
				address: { profileId: fx.profileId, docId: fx.docId, kind: 'note-snapshot' },
				payload: { id: crypto.randomUUID(), update: Y.encodeStateAsUpdate(other) }
			});
			await applyRemoteNoteUpdate({
				db: fx.db,
				keys: fx.keys,
				change: {
					profileId: fx.profileId,
					entityId: fx.docId,
					kind: 'note-snapshot',
					ciphertext: toBase64Url(envelope),
					authorId,
					serverTime: `2026-03-1${i}T09:00:00.000Z`
				}
			});
		}
		const entries = await listNoteHistory(fx.db, fx.docId);
		expect(entries).toEqual([
			{ seq: 2, at: Date.parse('2026-03-11T09:00:00.000Z'), by: authorId },
			{ seq: 1, at: Date.parse('2026-03-10T09:00:00.000Z'), by: authorId }
		]);
		expect(await textAt(2)).toBe('first version, second');
		expect(await textAt(1)).toBe('first version');
		expect(await textAt(3)).toBeUndefined();
	});

	const entry = (at: number, by?: string) => ({
		docId: fx.docId,
		profileId: fx.profileId,
		keyVersion: 1,
		envelope: new Uint8Array([1]),
		at,
		...(by ? { by } : {})
	});
	const add = (entries: ReturnType<typeof entry>[]) =>
		fx.db.transaction('rw', fx.db.noteHistory, async () => {
			for (const e of entries) await addHistoryEntry(fx.db, e);
		});

	it(`keeps only the newest ${HISTORY_LIMIT} versions of a note`, async () => {
		await add(
			Array.from({ length: HISTORY_LIMIT + 5 }, (_, i) => entry((i + 1) * HISTORY_SPACING_MS))
		);
		const entries = await listNoteHistory(fx.db, fx.docId);
		expect(entries).toHaveLength(HISTORY_LIMIT);
		expect(entries[0]).toMatchObject({ seq: HISTORY_LIMIT + 5 });
		expect(entries.at(-1)).toMatchObject({ seq: 6 });
	});

	it('keeps one version of a stretch of typing: a snapshot by the same author moments later replaces it', async () => {
		const colleague = crypto.randomUUID();
		await add([
			entry(0),
			entry(60_000),
			entry(120_000, colleague),
			entry(HISTORY_SPACING_MS + 60_000)
		]);
		expect(await listNoteHistory(fx.db, fx.docId)).toEqual([
			{ seq: 4, at: HISTORY_SPACING_MS + 60_000 },
			{ seq: 3, at: 120_000, by: colleague },
			{ seq: 2, at: 60_000 }
		]);
	});
});
