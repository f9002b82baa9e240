import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { toBase64Url } from '../crypto/index.ts';
import { sealNotePayload } from './note-envelope.ts';
import { pendingNotePushes } from './note-pushes.ts';
import { applyRemoteNoteUpdate } from './remote-note-changes.ts';
import { captureUpdate, noteFixture, type } from './test-fixture.ts';

function request<T>(req: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
	});
}

// Every object store of every database, read with the raw IndexedDB API as someone holding the
// disk could, rendered as text: JSON for values, Latin-1 for bytes (Yjs stores text as UTF-8, so
// ASCII typed into a note would show up as itself).
async function dumpOrigin(): Promise<string> {
	const parts: string[] = [];
	const render = (value: unknown) =>
		JSON.stringify(value, (_key, item: unknown) =>
			item instanceof Uint8Array ? String.fromCharCode(...item) : item
		);
	for (const { name } of await indexedDB.databases()) {
		const db = await request(indexedDB.open(name!));
		for (const store of Array.from(db.objectStoreNames)) {
			const tx = db.transaction(store, 'readonly');
			parts.push(name!, store, render(await request(tx.objectStore(store).getAll())));
		}
		db.close();
	}
	return parts.join('\n');
}

let fx: Awaited<ReturnType<typeof noteFixture>>;
beforeEach(async () => {
	fx = await noteFixture();
});
afterEach(() => fx.cleanup());

describe('notes at rest', () => {
	it('holds neither paragraph in plaintext, before or after compaction, nor in the push queue', async () => {
		const local = 'Offline paragraph kestrel-4471 at the top';
		const remote = 'Online paragraph osprey-9023 at the bottom';
		const note = await fx.openNote({ watch: true });
		type(note.text, 0, local);
		await note.persistence.flush();

		const other = new Y.Doc();
		const update = captureUpdate(other, () => other.getText('body').insert(0, remote));
		const envelope = await sealNotePayload({
			profileKey: await fx.keys.current(fx.profileId),
			address: { profileId: fx.profileId, docId: fx.docId, kind: 'note-update' },
			payload: { id: crypto.randomUUID(), update }
		});
		await applyRemoteNoteUpdate({
			db: fx.db,
			keys: fx.keys,
			change: {
				profileId: fx.profileId,
				entityId: fx.docId,
				kind: 'note-update',
				ciphertext: toBase64Url(envelope)
			}
		});
		await expect.poll(() => note.text.toString()).toContain('osprey-9023');

		const markers = ['kestrel-4471', 'osprey-9023', 'Offline paragraph', 'Online paragraph'];
		// The control: unsealed, a Yjs update rendered this way shows the text.
		expect(String.fromCharCode(...Y.encodeStateAsUpdate(note.doc))).toContain('kestrel-4471');
		const before = await dumpOrigin();
		expect(before).toContain(fx.docId); // the dump did read the note rows
		for (const marker of markers) expect(before).not.toContain(marker);

		await note.persistence.compact({ publish: true });
		const after = await dumpOrigin();
		expect(after).toContain('note-snapshot');
		for (const marker of markers) expect(after).not.toContain(marker);
		const wire = JSON.stringify(await pendingNotePushes({ db: fx.db, keys: fx.keys }));
		for (const marker of markers) expect(wire).not.toContain(marker);

		await note.persistence.destroy();
		const reopened = await fx.openNote();
		expect(reopened.text.toString()).toContain('kestrel-4471');
		expect(reopened.text.toString()).toContain('osprey-9023');
	});
});
