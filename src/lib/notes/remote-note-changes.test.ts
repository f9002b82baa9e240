import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fromBase64Url, generateProfileKey, toBase64Url } from '../crypto/index.ts';
import {
	NoteUpdateMalformedError,
	NoteUpdateReplayedError,
	NoteUpdateUndecryptableError
} from './errors.ts';
import { sealNotePayload, type NotePayloadKind } from './note-envelope.ts';
import { acknowledgeNotePushes, pendingNotePushes } from './note-pushes.ts';
import { applyRemoteNoteUpdate, storeNoteChanges, openNoteChange } from './remote-note-changes.ts';
import { captureUpdate, noteFixture, type } from './test-fixture.ts';

let fx: Awaited<ReturnType<typeof noteFixture>>;
beforeEach(async () => {
	fx = await noteFixture();
});
afterEach(() => fx.cleanup());

// A change as another device pushes it and the server hands it out.
async function remoteChange(
	update: Uint8Array,
	{
		kind = 'note-update',
		docId = fx.docId,
		id = crypto.randomUUID(),
		keyVersion = 1
	}: { kind?: NotePayloadKind; docId?: string; id?: string; keyVersion?: number } = {}
) {
	const profileKey = await fx.keys.get(fx.profileId, keyVersion);
	const envelope = await sealNotePayload({
		profileKey,
		address: { profileId: fx.profileId, docId, kind },
		payload: { id, update }
	});
	return {
		mutationId: crypto.randomUUID(),
		profileId: fx.profileId,
		entityId: docId,
		kind,
		ciphertext: toBase64Url(envelope),
		authorId: 'user-b',
		serverTime: '2026-11-03T10:00:00.000Z'
	};
}

const otherDevice = () => {
	const doc = new Y.Doc();
	return {
		doc,
		edit: (text: string) => captureUpdate(doc, () => type(doc.getText('body'), 0, text))
	};
};

// The stored note and the open document, to compare before and after a refusal.
async function snapshotOf(note: Awaited<ReturnType<typeof fx.openNote>>) {
	return { rows: await fx.db.noteUpdates.toArray(), text: note.text.toString() };
}

describe('pulled note changes', () => {
	it('stores a change another device sealed, and the open note shows it', async () => {
		const note = await fx.openNote({ watch: true });
		const b = otherDevice();
		const status = await applyRemoteNoteUpdate({
			db: fx.db,
			keys: fx.keys,
			change: await remoteChange(b.edit('from device B'))
		});
		expect(status).toBe('applied');
		await expect.poll(() => note.text.toString()).toBe('from device B');
		expect(await fx.db.noteDocs.get(fx.docId)).toEqual({
			docId: fx.docId,
			profileId: fx.profileId,
			editedAt: Date.parse('2026-11-03T10:00:00.000Z'),
			editedBy: 'user-b'
		});
		await note.persistence.destroy();
	});

	it('refuses a corrupted change and leaves the stored note and the open document intact', async () => {
		const note = await fx.openNote();
		type(note.text, 0, 'local paragraph');
		await note.persistence.flush();
		const before = await snapshotOf(note);

		const change = await remoteChange(otherDevice().edit('injected'));
		const bytes = fromBase64Url(change.ciphertext);
		bytes[bytes.length - 20]! ^= 0x01;
		await expect(
			applyRemoteNoteUpdate({
				db: fx.db,
				keys: fx.keys,
				change: { ...change, ciphertext: toBase64Url(bytes) }
			})
		).rejects.toBeInstanceOf(NoteUpdateUndecryptableError);
		await expect(
			applyRemoteNoteUpdate({ db: fx.db, keys: fx.keys, change: { ...change, ciphertext: 'AAAA' } })
		).rejects.toBeInstanceOf(NoteUpdateUndecryptableError);

		await note.persistence.refresh();
		expect(await snapshotOf(note)).toEqual(before);
		await note.persistence.destroy();
		expect((await fx.openNote()).text.toString()).toBe('local paragraph');
	});

	it('refuses a change moved onto another note, or relabelled as a snapshot', async () => {
		const change = await remoteChange(otherDevice().edit('elsewhere'), {
			docId: crypto.randomUUID()
		});
		await expect(
			applyRemoteNoteUpdate({ db: fx.db, keys: fx.keys, change: { ...change, entityId: fx.docId } })
		).rejects.toBeInstanceOf(NoteUpdateUndecryptableError);
		await expect(
			applyRemoteNoteUpdate({
				db: fx.db,
				keys: fx.keys,
				change: { ...change, kind: 'note-snapshot' }
			})
		).rejects.toBeInstanceOf(NoteUpdateUndecryptableError);
		expect(await fx.db.noteUpdates.count()).toBe(0);
	});

	it('refuses a payload delivered again, even under a new mutation id', async () => {
		const note = await fx.openNote();
		const change = await remoteChange(otherDevice().edit('once'));
		await applyRemoteNoteUpdate({ db: fx.db, keys: fx.keys, change });
		await note.persistence.refresh();
		const before = await snapshotOf(note);

		for (const replay of [change, { ...change, mutationId: crypto.randomUUID() }]) {
			await expect(
				applyRemoteNoteUpdate({ db: fx.db, keys: fx.keys, change: replay })
			).rejects.toBeInstanceOf(NoteUpdateReplayedError);
		}
		// Twice in one pulled batch: the second is refused, the first stored.
		const fresh = await remoteChange(otherDevice().edit('twice'));
		const opened = await openNoteChange({ keys: fx.keys, change: fresh });
		const outcomes = await storeNoteChanges({ db: fx.db, opened: [opened, opened] });
		expect(outcomes.map((o) => o.status)).toEqual(['applied', 'refused']);

		expect((await fx.db.noteUpdates.toArray()).length).toBe(before.rows.length + 1);
		expect(note.text.toString()).toBe(before.text);
		await note.persistence.destroy();
	});

	it('recognises its own pushed payload coming back once, and refuses it a second time', async () => {
		const note = await fx.openNote();
		type(note.text, 0, 'mine');
		await note.persistence.flush();
		const [mutation] = await pendingNotePushes({ db: fx.db, keys: fx.keys });
		await acknowledgeNotePushes({
			db: fx.db,
			results: [{ mutationId: mutation!.mutationId, status: 'applied', seq: 1 }]
		});
		const echo = { ...mutation!, kind: 'note-update' as const };
		expect(await applyRemoteNoteUpdate({ db: fx.db, keys: fx.keys, change: echo })).toBe('own');
		await expect(
			applyRemoteNoteUpdate({ db: fx.db, keys: fx.keys, change: echo })
		).rejects.toBeInstanceOf(NoteUpdateReplayedError);
		expect(await fx.db.noteUpdates.count()).toBe(1);
		await note.persistence.destroy();
	});

	it('refuses an authentic payload whose Yjs update does not decode', async () => {
		const garbage = new Uint8Array(40).fill(0xff);
		await expect(
			applyRemoteNoteUpdate({ db: fx.db, keys: fx.keys, change: await remoteChange(garbage) })
		).rejects.toBeInstanceOf(NoteUpdateMalformedError);
		expect(await fx.db.noteUpdates.count()).toBe(0);
	});

	it('refuses a change naming a note that belongs to another profile', async () => {
		const note = await fx.openNote();
		type(note.text, 0, 'P1 note');
		await note.persistence.destroy();
		const otherProfile = crypto.randomUUID();
		fx.keys.add(otherProfile, await generateProfileKey({ version: 1 }));
		const update = otherDevice().edit('hijack');
		const envelope = await sealNotePayload({
			profileKey: await fx.keys.current(otherProfile),
			address: { profileId: otherProfile, docId: fx.docId, kind: 'note-update' },
			payload: { id: crypto.randomUUID(), update }
		});
		const change = {
			profileId: otherProfile,
			entityId: fx.docId,
			kind: 'note-update' as const,
			ciphertext: toBase64Url(envelope)
		};
		await expect(
			applyRemoteNoteUpdate({ db: fx.db, keys: fx.keys, change })
		).rejects.toBeInstanceOf(NoteUpdateUndecryptableError);
		expect((await fx.openNote()).text.toString()).toBe('P1 note');
	});

	it('keeps a change sealed under a key version it does not hold, and opens it once it does', async () => {
		const rotated = await generateProfileKey({ version: 2 });
		const holder = { ...fx.keys };
		fx.keys.add(fx.profileId, rotated);
		const change = await remoteChange(otherDevice().edit('after rotation'), { keyVersion: 2 });
		fx.keys.get = async (profileId, version) => {
			if (version === 2) throw new Error('not fetched yet');
			return holder.get(profileId, version);
		};
		expect(await applyRemoteNoteUpdate({ db: fx.db, keys: fx.keys, change })).toBe('parked');
		const early = await fx.openNote();
		expect(early.persistence.unreadableRows).toBe(1);
		expect(early.text.toString()).toBe('');
		await early.persistence.destroy();

		fx.keys.get = holder.get;
		expect((await fx.openNote()).text.toString()).toBe('after rotation');
	});
});
