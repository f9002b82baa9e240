// Runs in Chromium (bench/notes.bench.mjs builds it with Vite): the measurements behind the
// issue 6 targets, with real IndexedDB and WebCrypto. A note is typed through the app's own
// persistence (sealed rows, batching, compaction every 500 rows), then loaded back, side by side
// with Yjs loading the same state from memory.
import { Dexie } from 'dexie';
import * as Y from 'yjs';
import { generateProfileKey, type ProfileKey } from '../../src/lib/crypto/index.ts';
import { openUserDb, type UserDb } from '../../src/lib/db/user-db.ts';
import {
	createNotePersistence,
	noteText,
	openNotePayload,
	pendingNotePushes,
	type NoteKeys
} from '../../src/lib/notes/index.ts';
import { clinicianEdits } from './edits.ts';

interface Built {
	db: UserDb;
	keys: NoteKeys;
	profileId: string;
	docId: string;
	plain: Uint8Array;
	text: string;
}
let built: Built | undefined;

const keysFor = (profileKey: ProfileKey): NoteKeys => ({
	get: async (_profileId, version) => {
		if (version !== profileKey.version) throw new Error(`No key version ${version}`);
		return profileKey;
	},
	current: async () => profileKey
});

const rowsOf = (db: UserDb, docId: string) =>
	db.noteUpdates
		.where('[docId+seq]')
		.between([docId, Dexie.minKey], [docId, Dexie.maxKey])
		.toArray();

// Types `edits` single-character edits, each its own Yjs transaction, `perTick` of them between
// yields to the event loop (a fast typist's burst), waiting for the persistence each tick.
async function buildNote({ edits, perTick }: { edits: number; perTick: number }) {
	if (built) {
		built.db.close();
		await Dexie.delete(built.db.name);
	}
	const db = openUserDb(`notes-bench-${Date.now().toString(36)}`);
	const profileId = crypto.randomUUID();
	const docId = crypto.randomUUID();
	const keys = keysFor(await generateProfileKey({ version: 1 }));
	const doc = new Y.Doc();
	const persistence = createNotePersistence({ db, doc, profileId, docId, keys, watch: false });
	await persistence.whenSynced;
	const text = noteText(doc);
	const started = performance.now();
	let inTick = 0;
	let deletes = 0;
	for (const edit of clinicianEdits(edits)) {
		if ('insert' in edit) text.insert(edit.at, edit.insert);
		else {
			text.delete(edit.delete, 1);
			deletes++;
		}
		if (++inTick === perTick) {
			inTick = 0;
			await persistence.refresh();
		}
	}
	await persistence.destroy();
	const buildMs = performance.now() - started;
	const plain = Y.encodeStateAsUpdate(doc);
	built = { db, keys, profileId, docId, plain, text: text.toString() };
	const rows = await rowsOf(db, docId);
	// What a push would read after a long offline session: the queue through its sparse index.
	const queueStarted = performance.now();
	const queued = await pendingNotePushes({ db, keys });
	const queueMs = performance.now() - queueStarted;
	return {
		queueMs,
		queued: queued.length,
		buildMs,
		edits,
		deletes,
		characters: built.text.length,
		plainBytes: plain.length,
		rows: rows.length,
		storedBytes: rows.reduce((sum, row) => sum + row.envelope.length, 0)
	};
}

// The note as the editor needs it: the document and its text.
async function loadOurs() {
	const { db, keys, profileId, docId, text } = built!;
	const started = performance.now();
	const doc = new Y.Doc();
	const persistence = createNotePersistence({ db, doc, profileId, docId, keys, watch: false });
	await persistence.whenSynced;
	const loaded = noteText(doc).toString();
	const ms = performance.now() - started;
	await persistence.destroy();
	if (loaded !== text) throw new Error('The note loaded from the store differs from the one typed');
	return { ms, rows: (await rowsOf(db, docId)).length };
}

// Yjs alone: the same state, already in memory, applied to a new document.
async function loadPlain() {
	const { plain, text } = built!;
	const started = performance.now();
	const doc = new Y.Doc();
	Y.applyUpdate(doc, plain);
	const loaded = noteText(doc).toString();
	const ms = performance.now() - started;
	if (loaded !== text) throw new Error('Yjs loaded another text');
	return { ms };
}

// Compacts the stored note to one snapshot and weighs what is stored against the plain state.
async function compactAndWeigh() {
	const { db, keys, profileId, docId, text } = built!;
	const doc = new Y.Doc();
	const persistence = createNotePersistence({ db, doc, profileId, docId, keys, watch: false });
	await persistence.whenSynced;
	await persistence.compact();
	await persistence.destroy();
	if (noteText(doc).toString() !== text) throw new Error('Compaction changed the text');
	const rows = await rowsOf(db, docId);
	const storedBytes = rows.reduce((sum, row) => sum + row.envelope.length, 0);
	const plainBytes = Y.encodeStateAsUpdate(doc).length;
	return { rows: rows.length, storedBytes, plainBytes };
}

// Where a load's time goes: reading the rows, opening the envelopes, applying the updates.
async function explainLoad() {
	const { db, keys, profileId, docId } = built!;
	const k0 = performance.now();
	const seqs = await db.noteUpdates
		.where('[docId+seq]')
		.between([docId, Dexie.minKey], [docId, Dexie.maxKey])
		.primaryKeys();
	const k1 = performance.now();
	await db.noteUpdates.bulkGet(seqs);
	const k2 = performance.now();
	const t0 = performance.now();
	const rows = await rowsOf(db, docId);
	const t1 = performance.now();
	const updates: Uint8Array[] = [];
	for (const row of rows) {
		const address = { profileId, docId, kind: row.kind };
		updates.push((await openNotePayload({ keys, address, envelope: row.envelope })).update);
	}
	const t2 = performance.now();
	const doc = new Y.Doc();
	doc.transact(() => {
		for (const update of updates) Y.applyUpdate(doc, update);
	});
	noteText(doc).toString();
	const t3 = performance.now();
	return {
		readMs: t1 - t0,
		openMs: t2 - t1,
		applyMs: t3 - t2,
		rows: rows.length,
		keysMs: k1 - k0,
		bulkGetMs: k2 - k1
	};
}

// Chromium stores large IndexedDB values apart from the table (as blobs); how a 256 KB value reads
// whole, and split into rows under 64 KB.
async function explainRead({ bytes, parts }: { bytes: number; parts: number }) {
	const scratch = new Dexie(`notes-bench-scratch-${parts}`);
	scratch.version(1).stores({ blobs: '++id' });
	const table = scratch.table<{ id?: number; value: Uint8Array }, number>('blobs');
	const size = Math.ceil(bytes / parts);
	const values = Array.from({ length: parts }, () => {
		const value = new Uint8Array(size);
		for (let i = 0; i < size; i += 65536) crypto.getRandomValues(value.subarray(i, i + 65536));
		return { value };
	});
	await table.bulkAdd(values);
	const times: number[] = [];
	for (let i = 0; i < 5; i++) {
		const started = performance.now();
		await table.toArray();
		times.push(performance.now() - started);
	}
	scratch.close();
	await Dexie.delete(scratch.name);
	return { ms: times.sort((a, b) => a - b)[2]! };
}

const api = {
	buildNote,
	loadOurs,
	loadPlain,
	compactAndWeigh,
	explainLoad,
	explainRead
};
export type NotesBench = typeof api;
(globalThis as unknown as { notesBench: NotesBench }).notesBench = api;
