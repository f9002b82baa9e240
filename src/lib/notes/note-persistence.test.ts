import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { toBase64Url } from '../crypto/index.ts';
import { sealNotePayload } from './note-envelope.ts';
import { createNotePersistence } from './note-persistence.ts';
import { applyRemoteNoteUpdate } from './remote-note-changes.ts';
import { captureUpdate, noteFixture, type } from './test-fixture.ts';

let fx: Awaited<ReturnType<typeof noteFixture>>;
beforeEach(async () => {
	fx = await noteFixture();
});
afterEach(() => fx.cleanup());

const rowsOf = () =>
	fx.db.noteUpdates
		.where('[docId+seq]')
		.between([fx.docId, Dexie.minKey], [fx.docId, Dexie.maxKey])
		.toArray();
const allRows = () => fx.db.noteUpdates.toArray();

describe('encrypted note persistence', () => {
	it('reloads a note from the encrypted store exactly as it was typed', async () => {
		const a = await fx.openNote();
		type(a.text, 0, 'Seen at home. ');
		await a.persistence.refresh();
		type(a.text, a.text.length, 'BP 128/82.');
		a.text.delete(0, 5);
		await a.persistence.destroy();

		const b = await fx.openNote();
		expect(b.text.toString()).toBe('at home. BP 128/82.');
		expect(Y.encodeStateVector(b.doc)).toEqual(Y.encodeStateVector(a.doc));
		expect(b.persistence.synced).toBe(true);
		await b.persistence.destroy();
	});

	it('keeps edits made before the stored note finished loading', async () => {
		const a = await fx.openNote();
		type(a.text, 0, 'first');
		await a.persistence.destroy();

		const doc = new Y.Doc();
		const persistence = createNotePersistence({ ...fx, doc, watch: false });
		doc.getText('body').insert(0, '>');
		await persistence.whenSynced;
		await persistence.destroy();

		const c = await fx.openNote();
		expect(c.text.toString()).toMatch(/^(>first|first>)$/);
		await c.persistence.destroy();
	});

	it('merges a batch of edits into one row waiting to be pushed, after the quiet period', async () => {
		const onPending = vi.fn();
		const a = await fx.openNote({ batch: { quietMs: 30 }, onPending });
		for (const char of 'abcde') {
			type(a.text, a.text.length, char);
			await a.persistence.refresh(); // each keystroke in its own row
		}
		expect((await rowsOf()).length).toBe(5);
		await vi.waitFor(async () => expect((await rowsOf()).length).toBe(1));
		const [row] = await rowsOf();
		expect(row).toMatchObject({ kind: 'note-update', profileId: fx.profileId });
		expect(await fx.db.notePushes.toArray()).toEqual([
			{ docId: fx.docId, seq: row!.seq, mutationId: expect.stringMatching(/^[0-9a-f-]{36}$/) }
		]);
		expect(onPending).toHaveBeenCalledTimes(1);
		await a.persistence.destroy();
		expect((await fx.openNote()).text.toString()).toBe('abcde');
	});

	it('starts a batch at once when 50 updates have gathered', async () => {
		const a = await fx.openNote({ batch: { quietMs: 60_000, maxUpdates: 50 } });
		for (let i = 0; i < 50; i++) {
			type(a.text, i, 'x');
			await a.persistence.refresh();
		}
		await vi.waitFor(async () => expect((await rowsOf()).length).toBe(1));
		await a.persistence.destroy();
	});

	it('replaces the log by one snapshot after compactAfter rows, and the note reads the same', async () => {
		const a = await fx.openNote({ compactAfter: 10 });
		for (let i = 0; i < 25; i++) {
			type(a.text, a.text.length, String(i % 10));
			if (i % 3 === 0) a.text.delete(0, 1);
			await a.persistence.refresh();
		}
		const rows = await rowsOf();
		expect(rows.length).toBeLessThan(10);
		expect(rows.some((row) => row.kind === 'note-snapshot')).toBe(true);
		// Local edits not pushed yet are superseded by the snapshot, which waits to be pushed.
		expect((await fx.db.notePushes.toArray()).map((entry) => entry.seq)).toEqual(
			rows.map((row) => row.seq)
		);
		const expected = a.text.toString();
		await a.persistence.destroy();
		expect((await fx.openNote()).text.toString()).toBe(expected);
	});

	it('compacts a long log of pulled changes when the note is opened, pushing nothing', async () => {
		const other = new Y.Doc();
		const profileKey = await fx.keys.current(fx.profileId);
		for (let i = 0; i < 12; i++) {
			const update = captureUpdate(other, () => other.getText('body').insert(i, 'y'));
			const envelope = await sealNotePayload({
				profileKey,
				address: { profileId: fx.profileId, docId: fx.docId, kind: 'note-update' },
				payload: { id: crypto.randomUUID(), update }
			});
			const change = {
				profileId: fx.profileId,
				entityId: fx.docId,
				kind: 'note-update' as const,
				ciphertext: toBase64Url(envelope)
			};
			await applyRemoteNoteUpdate({ db: fx.db, keys: fx.keys, change });
		}
		expect(await rowsOf()).toHaveLength(12);
		const b = await fx.openNote({ compactAfter: 10 });
		const rows = await rowsOf();
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ kind: 'note-snapshot' });
		expect(await fx.db.notePushes.count()).toBe(0);
		expect(b.text.toString()).toBe('y'.repeat(12));
		await b.persistence.destroy();
	});

	it('never removes a stored row it could not open, and says how many there are', async () => {
		await fx.db.noteUpdates.add({
			docId: fx.docId,
			seq: 1,
			profileId: fx.profileId,
			kind: 'note-update',
			keyVersion: 1,
			envelope: new Uint8Array(64).fill(7)
		});
		const a = await fx.openNote();
		expect(a.persistence.unreadableRows).toBe(1);
		type(a.text, 0, 'ok');
		await a.persistence.compact({ publish: true });
		const rows = await rowsOf();
		expect(rows.map((row) => row.kind).sort()).toEqual(['note-snapshot', 'note-update']);
		expect(rows.find((row) => row.kind === 'note-update')!.envelope[0]).toBe(7);
		await a.persistence.destroy();
	});

	it('stops storing edits and removes its listeners on destroy', async () => {
		const a = await fx.openNote();
		type(a.text, 0, 'kept');
		await a.persistence.destroy();
		type(a.text, 0, 'lost ');
		await new Promise((resolve) => setTimeout(resolve, 10));
		expect((await fx.openNote()).text.toString()).toBe('kept');
		// Yjs's Observable keeps listeners in _observers; none of ours remain.
		const observers = (a.doc as unknown as { _observers: Map<string, Set<unknown>> })._observers;
		expect(observers.get('update')?.size ?? 0).toBe(0);
	});

	it('follows edits another tab stores in the same database', async () => {
		const a = await fx.openNote({ watch: true });
		const otherDb = fx.openDb();
		const bDoc = new Y.Doc();
		const b = createNotePersistence({ ...fx, db: otherDb, doc: bDoc, watch: true });
		await b.whenSynced;
		type(a.text, 0, 'from tab A');
		await vi.waitFor(() => expect(bDoc.getText('body').toString()).toBe('from tab A'));
		type(bDoc.getText('body'), 0, 'B: ');
		await vi.waitFor(() => expect(a.text.toString()).toBe('B: from tab A'));
		await Promise.all([a.persistence.destroy(), b.destroy()]);
		expect(await allRows()).not.toHaveLength(0);
	});
});
