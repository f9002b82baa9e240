import { Dexie, liveQuery } from 'dexie';
import * as Y from 'yjs';
import type { NoteUpdateRow, UserDb } from '../db/user-db.ts';
import { createNoteBatcher, type NoteBatcher } from './note-batcher.ts';
import {
	openNotePayload,
	sealNotePayload,
	type NoteKeys,
	type NotePayloadKind
} from './note-envelope.ts';
import {
	appendLocalRow,
	mergeUnsentRows,
	readNoteRowsAfter,
	replaceWithSnapshot,
	type NewNoteRow
} from './note-log.ts';

// y-indexeddb keeps 500 updates before merging them (PREFERRED_TRIM_SIZE); so do we.
export const COMPACT_AFTER_ROWS = 500;

export interface NotePersistence {
	// Resolves once every stored row that opens has been applied to the document.
	readonly whenSynced: Promise<NotePersistence>;
	readonly synced: boolean;
	// Stored rows that did not open (damaged, or sealed under a key version not held): they stay
	// stored and are tried again on the next load; compaction never removes them.
	readonly unreadableRows: number;
	// Writes the edits still in memory and merges the current batch now (before a push, on
	// pagehide).
	flush(): Promise<void>;
	// Applies rows other tabs or the sync layer stored since the last look.
	refresh(): Promise<void>;
	// Replaces the rows applied so far by one snapshot; `publish` queues it for pushing even when
	// every row it covers is already on the server (the periodic snapshot of DESIGN.md).
	compact(options?: { publish?: boolean }): Promise<void>;
	// Stops listening, writes what is still in memory, and resolves when done.
	destroy(): Promise<void>;
}

// Encrypted local persistence of one note's Yjs document, after y-indexeddb's design on the
// user's Dexie database: each local transaction's update is sealed and appended at once (edits
// within one tick share a row), the log is replayed on load, and once it holds `compactAfter`
// rows it is replaced by one snapshot. Every row is a sync payload already: local rows are born
// pending push, and the batcher merges them (250 ms of quiet or 50 updates) into one, so a crash
// between an edit and its batch still pushes the edit, only in smaller pieces.
//
// All reads and writes run one at a time in order (`serial`); across tabs, the transactions in
// note-log.ts check what they replace, and `watch` re-reads when another tab writes.
export function createNotePersistence({
	db,
	doc,
	profileId,
	docId,
	keys,
	compactAfter = COMPACT_AFTER_ROWS,
	batch,
	watch = true,
	now = Date.now,
	onPending,
	report = (error) => console.error('note persistence:', error)
}: {
	db: UserDb;
	doc: Y.Doc;
	profileId: string;
	docId: string;
	keys: NoteKeys;
	compactAfter?: number;
	batch?: { quietMs?: number; maxUpdates?: number };
	watch?: boolean;
	now?: () => number;
	// Rows wait to be pushed: the sync layer's cue to run.
	onPending?: () => void;
	report?: (error: unknown) => void;
}): NotePersistence {
	// Seqs of rows whose content the document holds, rows this instance wrote (so reading them
	// back is skipped), and local rows not merged into a batch yet, with their updates.
	const applied = new Set<number>();
	const own = new Set<number>();
	const unreadable = new Set<number>();
	let unbatched: { seq: number; update: Uint8Array }[] = [];
	let queue: Uint8Array[] = [];
	let lastSeq = 0;
	let synced = false;
	let writeScheduled = false;
	let destroyed: Promise<void> | undefined;
	let chain: Promise<unknown> = Promise.resolve();

	function serial<T>(op: () => Promise<T>): Promise<T> {
		const result = chain.then(op);
		chain = result.catch(() => undefined);
		return result;
	}

	const address = (kind: NotePayloadKind) => ({ profileId, docId, kind });

	async function seal(kind: NotePayloadKind, update: Uint8Array) {
		const id = crypto.randomUUID();
		const profileKey = await keys.current(profileId);
		const envelope = await sealNotePayload({
			profileKey,
			address: address(kind),
			payload: { id, update }
		});
		const row: NewNoteRow = { docId, profileId, kind, keyVersion: profileKey.version, envelope };
		return { id, row };
	}

	async function open(row: NoteUpdateRow): Promise<Uint8Array | undefined> {
		try {
			// The persistence's own profile in the binding: a row filed under this docId from
			// another profile does not open here.
			return (await openNotePayload({ keys, address: address(row.kind), envelope: row.envelope }))
				.update;
		} catch {
			return undefined;
		}
	}

	async function readNew(): Promise<void> {
		const rows = (await readNoteRowsAfter(db, docId, lastSeq)).filter((row) => {
			lastSeq = Math.max(lastSeq, row.seq);
			return !own.delete(row.seq);
		});
		// Opened side by side: WebCrypto works off the main thread.
		const updates = await Promise.all(rows.map(open));
		const opened: { seq: number; update: Uint8Array }[] = [];
		for (const [i, row] of rows.entries()) {
			const update = updates[i];
			if (update) opened.push({ seq: row.seq, update });
			else unreadable.add(row.seq);
		}
		if (opened.length === 0) return;
		// One Yjs transaction for the lot, so observers (the editor) run once. Our own 'update'
		// listener is off meanwhile: Yjs encodes a transaction's update only when someone listens,
		// and re-encoding a loaded snapshot cost as much as applying it (bench/notes). Applying is
		// synchronous, so no edit can slip past in between.
		doc.off('update', onUpdate);
		try {
			doc.transact(() => {
				for (const { seq, update } of opened) {
					try {
						Y.applyUpdate(doc, update, persistence);
						applied.add(seq);
						unreadable.delete(seq);
					} catch {
						// Authentic but not a Yjs update (a member's bug): kept, never compacted away.
						unreadable.add(seq);
					}
				}
			}, persistence);
		} finally {
			if (!destroyed) doc.on('update', onUpdate);
		}
	}

	async function writeQueued(): Promise<void> {
		writeScheduled = false;
		if (queue.length === 0) return;
		const updates = queue;
		queue = [];
		const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
		let seq: number;
		try {
			const { id, row } = await seal('note-update', update);
			seq = await appendLocalRow(db, { row, mutationId: id, editedAt: now() });
		} catch (error) {
			// Kept for the next write (a full disk may have room later); the document has them.
			queue = [...updates, ...queue];
			throw error;
		}
		own.add(seq);
		applied.add(seq);
		unbatched.push({ seq, update });
		batcher.note(updates.length);
		if (applied.size >= compactAfter) await compactNow(false);
	}

	async function mergeBatch(): Promise<void> {
		const rows = unbatched;
		unbatched = [];
		if (rows.length >= 2) {
			const { id, row } = await seal('note-update', Y.mergeUpdates(rows.map((r) => r.update)));
			const seqs = rows.map((r) => r.seq);
			const seq = await mergeUnsentRows(db, { seqs, merged: row, mutationId: id });
			if (seq !== undefined) {
				for (const old of seqs) applied.delete(old);
				applied.add(seq);
				own.add(seq);
			}
		}
		if (rows.length > 0) onPending?.();
	}

	async function compactNow(publish: boolean): Promise<void> {
		await readNew();
		const covered = [...applied];
		if (covered.length < 2 && !publish) return;
		const { id, row } = await seal('note-snapshot', Y.encodeStateAsUpdate(doc));
		const { seq, kept, pushed } = await replaceWithSnapshot(db, {
			covered,
			snapshot: row,
			payloadId: id,
			publish,
			at: now()
		});
		// Nothing else ran meanwhile (serial), so the document now holds exactly these rows.
		applied.clear();
		for (const stays of [...kept, seq]) applied.add(stays);
		own.add(seq);
		unbatched = unbatched.filter((r) => applied.has(r.seq));
		if (pushed) onPending?.();
	}

	async function refreshNow(): Promise<void> {
		await readNew();
		if (applied.size >= compactAfter) await compactNow(false);
	}

	const batcher: NoteBatcher = createNoteBatcher({
		...batch,
		onBatch: () => void serial(mergeBatch).catch(report)
	});

	function onUpdate(update: Uint8Array, origin: unknown): void {
		if (origin === persistence || destroyed) return;
		queue.push(update);
		if (writeScheduled) return;
		writeScheduled = true;
		void serial(writeQueued).catch(report);
	}

	const onDocDestroy = () => void persistence.destroy().catch(report);

	// Another tab's write, or the sync layer storing a pulled change, shows up as a newer seq.
	const subscription = watch
		? liveQuery(() =>
				db.noteUpdates
					.where('[docId+seq]')
					.between([docId, Dexie.minKey], [docId, Dexie.maxKey])
					.reverse()
					.limit(1)
					.primaryKeys()
			).subscribe({
				next: ([key]) => {
					const newest = key?.[1];
					if (newest !== undefined && newest > lastSeq && !own.has(newest) && !destroyed) {
						void serial(refreshNow).catch(report);
					}
				},
				error: report
			})
		: undefined;

	// The first job in line: anything asked before it finishes waits for it.
	const whenSynced = serial(async () => {
		await refreshNow();
		synced = true;
		return persistence;
	});
	whenSynced.catch(report);

	const persistence: NotePersistence = {
		whenSynced,
		get synced() {
			return synced;
		},
		get unreadableRows() {
			return unreadable.size;
		},
		flush: () =>
			serial(async () => {
				await writeQueued();
				batcher.cancel();
				await mergeBatch();
			}),
		refresh: () => serial(refreshNow),
		compact: ({ publish = false } = {}) => serial(() => compactNow(publish)),
		destroy() {
			if (destroyed) return destroyed;
			doc.off('update', onUpdate);
			doc.off('destroy', onDocDestroy);
			subscription?.unsubscribe();
			const batchWaiting = batcher.pending;
			batcher.cancel();
			destroyed = serial(async () => {
				await writeQueued();
				if (batchWaiting) await mergeBatch();
			});
			return destroyed;
		}
	};

	doc.on('update', onUpdate);
	doc.on('destroy', onDocDestroy);
	return persistence;
}
