import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createNotes } from './create-notes.ts';
import { acknowledgeNotePushes, pendingNotePushes } from './note-pushes.ts';
import { noteTitle } from './read-note.ts';
import { noteFixture, type } from './test-fixture.ts';

let fx: Awaited<ReturnType<typeof noteFixture>>;
beforeEach(async () => {
	fx = await noteFixture();
});
afterEach(() => fx.cleanup());

describe('the notes of a session', () => {
	it('lists a profile’s notes by last edit, each titled by its first line of text', async () => {
		let time = 1_000;
		const notes = createNotes({ db: fx.db, keys: fx.keys, now: () => (time += 1_000) });
		const older = notes.open({ profileId: fx.profileId, docId: fx.docId });
		await older.persistence.whenSynced;
		type(older.text, 0, '\n# Ward round\n- obs stable');
		await older.close();
		const newerId = crypto.randomUUID();
		const newer = notes.open({ profileId: fx.profileId, docId: newerId });
		await newer.persistence.whenSynced;
		type(newer.text, 0, '- Discharge letter sent');
		await newer.close();

		const listed = await notes.list(fx.profileId);
		expect(listed).toMatchObject([
			{ docId: newerId, title: 'Discharge letter sent', unreadableRows: 0 },
			{ docId: fx.docId, title: 'Ward round', unreadableRows: 0 }
		]);
		expect(listed[0]!.editedAt).toBeGreaterThan(listed[1]!.editedAt);
		expect(listed[0]).not.toHaveProperty('editedBy');
		expect(await notes.list(crypto.randomUUID())).toEqual([]);
		expect(await notes.profileOf(newerId)).toBe(fx.profileId);
	});

	it('publishes a snapshot when a visit that changed the note ends, and nothing after a visit that only read it', async () => {
		const onPending = vi.fn();
		const notes = createNotes({ db: fx.db, keys: fx.keys, onPending });
		const reading = notes.open({ profileId: fx.profileId, docId: fx.docId });
		await reading.persistence.whenSynced;
		await reading.close();
		expect(await notes.history(fx.docId)).toEqual([]);
		expect(onPending).not.toHaveBeenCalled();

		const writing = notes.open({ profileId: fx.profileId, docId: fx.docId });
		await writing.persistence.whenSynced;
		type(writing.text, 0, 'Reviewed results.');
		await writing.close();
		expect(onPending).toHaveBeenCalled();
		const pushes = await pendingNotePushes({ db: fx.db, keys: fx.keys });
		expect(pushes.map((m) => m.kind)).toEqual(['note-snapshot']);
		const [version] = await notes.history(fx.docId);
		expect(
			await notes.historyText({ profileId: fx.profileId, docId: fx.docId, seq: version!.seq })
		).toBe('Reviewed results.');

		const again = notes.open({ profileId: fx.profileId, docId: fx.docId });
		await again.persistence.whenSynced;
		expect(again.text.toString()).toBe('Reviewed results.');
		await again.close();
		expect(await notes.history(fx.docId)).toHaveLength(1);
	});

	it('takes a title from the first line with text, without heading or list marks, shortened', () => {
		expect(noteTitle('')).toBe('');
		expect(noteTitle('\n  \n## Plan\nmore')).toBe('Plan');
		expect(noteTitle('* item')).toBe('item');
		expect(noteTitle('#hashtag is text')).toBe('#hashtag is text');
		expect(noteTitle('x'.repeat(100))).toBe(`${'x'.repeat(79)}…`);
	});

	it('says which notes have edits the server does not have yet, and which it refused', async () => {
		const notes = createNotes({ db: fx.db, keys: fx.keys });
		const note = notes.open({ profileId: fx.profileId, docId: fx.docId });
		await note.persistence.whenSynced;
		for (const words of ['Plan: ', 'rest']) {
			type(note.text, note.text.length, words);
			await note.persistence.flush();
		}
		expect(await notes.waiting()).toMatchObject([
			{ docId: fx.docId, profileId: fx.profileId, count: 2, refused: null }
		]);
		const [first] = await pendingNotePushes({ db: fx.db, keys: fx.keys });
		await acknowledgeNotePushes({
			db: fx.db,
			results: [
				{
					mutationId: first!.mutationId,
					status: 'rejected',
					error: { code: 'read_only', message: 'Viewers cannot write' }
				}
			]
		});
		expect(await notes.waiting()).toMatchObject([
			{ docId: fx.docId, count: 2, refused: 'read_only: Viewers cannot write' }
		]);
		expect(await notes.title({ profileId: fx.profileId, docId: fx.docId })).toBe('Plan: rest');
		await note.persistence.destroy();
	});
});
