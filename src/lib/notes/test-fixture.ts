import { Dexie } from 'dexie';
import * as Y from 'yjs';
import { generateProfileKey, type ProfileKey } from '../crypto/index.ts';
import { openUserDb, type UserDb } from '../db/user-db.ts';
import type { NoteKeys } from './note-envelope.ts';
import { createNotePersistence } from './note-persistence.ts';

// Test set-up shared by the note tests: real WebCrypto keys, fake-indexeddb databases.

// Keys by profile and version, with the newest version current, as ProfileKeyRing answers.
export function keyRing(profileKeys: Record<string, ProfileKey[]>): NoteKeys & {
	add(profileId: string, key: ProfileKey): void;
} {
	return {
		async get(profileId, keyVersion) {
			const key = profileKeys[profileId]?.find((k) => k.version === keyVersion);
			if (!key) throw new Error(`No key version ${keyVersion} for ${profileId}`);
			return key;
		},
		async current(profileId) {
			const all = profileKeys[profileId] ?? [];
			const key = all.reduce<ProfileKey | undefined>(
				(newest, k) => (!newest || k.version > newest.version ? k : newest),
				undefined
			);
			if (!key) throw new Error(`No key for ${profileId}`);
			return key;
		},
		add(profileId, key) {
			(profileKeys[profileId] ??= []).push(key);
		}
	};
}

export async function noteFixture() {
	const profileId = crypto.randomUUID();
	const docId = crypto.randomUUID();
	const keys = keyRing({ [profileId]: [await generateProfileKey({ version: 1 })] });
	const dbs: UserDb[] = [];
	const userId = crypto.randomUUID();
	// A second call gives a second connection to the same database, as another tab has.
	const openDb = () => {
		const db = openUserDb(userId);
		dbs.push(db);
		return db;
	};
	const db = openDb();
	return {
		db,
		profileId,
		docId,
		keys,
		openDb,
		// A document and its persistence; batching waits for flush() unless told otherwise.
		async openNote(options: Partial<Parameters<typeof createNotePersistence>[0]> = {}) {
			const doc = new Y.Doc();
			const persistence = createNotePersistence({
				db,
				doc,
				profileId,
				docId,
				keys,
				watch: false,
				batch: { quietMs: 60_000, maxUpdates: 1_000_000 },
				...options
			});
			await persistence.whenSynced;
			return { doc, persistence, text: doc.getText('body') };
		},
		async cleanup() {
			for (const open of dbs) open.close();
			await Dexie.delete(db.name);
		}
	};
}

// Edits typed one Yjs transaction at a time, as keystrokes arrive.
export function type(text: Y.Text, at: number, chars: string): void {
	for (const [i, char] of [...chars].entries()) text.insert(at + i, char);
}

// The update one change to a document makes, as its 'update' event hands it out.
export function captureUpdate(doc: Y.Doc, change: () => void): Uint8Array {
	const updates: Uint8Array[] = [];
	const listen = (update: Uint8Array) => updates.push(update);
	doc.on('update', listen);
	try {
		doc.transact(change);
	} finally {
		doc.off('update', listen);
	}
	return Y.mergeUpdates(updates);
}
