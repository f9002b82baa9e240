import { toBase64Url } from '../crypto/index.ts';
import type { NotePushRow, UserDb } from '../db/user-db.ts';
import { MAX_PUSH_MUTATIONS, type Mutation, type PushResult } from '../shared/sync.ts';
import { openNotePayload, sealNotePayload, type NoteKeys } from './note-envelope.ts';

// The note side of a push. The queue (notePushes) names the log rows waiting to be pushed and
// their mutation ids (the payload ids sealed inside); the rows hold the envelopes. Each row is
// one mutation: unlike a record, a note's payloads are not versions of one another, so none may
// be skipped for a newer one.

// The next mutations to push, each note's in log order, skipping rows the server refused (they
// wait for retryRejectedNotePushes). A row sealed under an older profile-key version than the
// profile's current one is sealed again under the current one (same payload, same id), since
// the server refuses writes under a superseded version; one that no longer opens is refused here.
// With `profileIds`, only notes of those profiles (the ones the server knows: a profile created
// offline is registered first).
export async function pendingNotePushes({
	db,
	keys,
	limit = MAX_PUSH_MUTATIONS,
	profileIds
}: {
	db: UserDb;
	keys: NoteKeys;
	limit?: number;
	profileIds?: ReadonlySet<string>;
}): Promise<Mutation[]> {
	let queued = (await db.notePushes.toArray()).filter((entry) => entry.pushError === undefined);
	if (profileIds) {
		const profileOf = await noteProfiles(db, queued);
		queued = queued.filter((entry) => profileIds.has(profileOf.get(entry.docId) ?? ''));
	}
	queued = queued.slice(0, limit);
	const rows = await db.noteUpdates.bulkGet(queued.map((entry) => [entry.docId, entry.seq]));
	const mutations: Mutation[] = [];
	for (const [index, entry] of queued.entries()) {
		const row = rows[index];
		// A compaction in another tab may have replaced it since the queue was read.
		if (!row) continue;
		const address = { profileId: row.profileId, docId: row.docId, kind: row.kind };
		const current = await keys.current(row.profileId);
		let { envelope, keyVersion } = row;
		if (keyVersion !== current.version) {
			try {
				const payload = await openNotePayload({ keys, address, envelope });
				envelope = await sealNotePayload({ profileKey: current, address, payload });
				keyVersion = current.version;
			} catch (error) {
				const pushError = `invalid: cannot be sealed again under the current key (${String(error)})`;
				await db.notePushes.update([entry.docId, entry.seq], { pushError });
				continue;
			}
		}
		mutations.push({
			mutationId: entry.mutationId,
			profileId: row.profileId,
			entityId: row.docId,
			kind: row.kind,
			keyVersion,
			ciphertext: toBase64Url(envelope),
			deleted: false
		});
	}
	return mutations;
}

// Takes the server's answers (results for other mutations are ignored, so the whole push
// response can be passed). Applied or duplicate: the row leaves the queue (it stays in the log)
// and its payload id is remembered as pushed, so the server handing it back is recognised as
// this device's own. Rejected: the entry stays, with the reason. One transaction.
export async function acknowledgeNotePushes({
	db,
	results
}: {
	db: UserDb;
	results: readonly PushResult[];
}): Promise<{ pushed: number; rejected: number }> {
	const byId = new Map(results.map((result) => [result.mutationId, result]));
	let pushed = 0;
	let rejected = 0;
	await db.transaction('rw', [db.notePushes, db.noteSeen], async () => {
		const answered = (await db.notePushes.toArray()).filter((entry) => byId.has(entry.mutationId));
		for (const entry of answered) {
			const result = byId.get(entry.mutationId)!;
			const key: [string, number] = [entry.docId, entry.seq];
			if (result.status === 'rejected') {
				rejected++;
				await db.notePushes.update(key, {
					pushError: `${result.error.code}: ${result.error.message}`
				});
				continue;
			}
			pushed++;
			await db.notePushes.delete(key);
			// A pulled copy may have arrived first (the answer to an earlier push was lost).
			if (!(await db.noteSeen.get([entry.docId, entry.mutationId]))) {
				await db.noteSeen.add({ docId: entry.docId, id: entry.mutationId, source: 'pushed' });
			}
		}
	});
	return { pushed, rejected };
}

// Puts refused note pushes back in line (after a key rotation was followed, or a role changed).
export function retryRejectedNotePushes(db: UserDb): Promise<number> {
	return db.notePushes
		.filter((entry: NotePushRow) => entry.pushError !== undefined)
		.modify((entry) => {
			delete entry.pushError;
		});
}

// Puts back in line the notes' pushes the server refused for their key version, in profiles whose
// newer key this device has now adopted (pendingNotePushes seals them under it).
export async function retryStaleNotePushes(
	db: UserDb,
	profileIds: readonly string[]
): Promise<number> {
	if (profileIds.length === 0) return 0;
	const stale = (await db.notePushes.toArray()).filter(
		(entry) => entry.pushError?.startsWith('stale_key_version') ?? false
	);
	const profileOf = await noteProfiles(db, stale);
	const retry = new Set(
		stale
			.filter((entry) => profileIds.includes(profileOf.get(entry.docId) ?? ''))
			.map((entry) => `${entry.docId}/${entry.seq}`)
	);
	if (retry.size === 0) return 0;
	return db.notePushes
		.filter((entry) => retry.has(`${entry.docId}/${entry.seq}`))
		.modify((entry) => {
			delete entry.pushError;
		});
}

// Rows waiting to be pushed, and rows the server refused, for the sync status.
export async function countNotePushes(db: UserDb): Promise<{ waiting: number; refused: number }> {
	let waiting = 0;
	let refused = 0;
	await db.notePushes.each((entry) => {
		if (entry.pushError === undefined) waiting++;
		else refused++;
	});
	return { waiting, refused };
}

// Each queued note's profile, from noteDocs (written with every local edit and pulled change).
async function noteProfiles(
	db: UserDb,
	entries: readonly NotePushRow[]
): Promise<Map<string, string>> {
	const docIds = [...new Set(entries.map((entry) => entry.docId))];
	const docs = await db.noteDocs.bulkGet(docIds);
	return new Map(docs.flatMap((doc) => (doc ? [[doc.docId, doc.profileId] as const] : [])));
}
