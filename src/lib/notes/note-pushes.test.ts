import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromBase64Url, generateProfileKey, readEnvelopeKeyVersion } from '../crypto/index.ts';
import { Mutation } from '../shared/sync.ts';
import {
	acknowledgeNotePushes,
	countNotePushes,
	pendingNotePushes,
	retryRejectedNotePushes,
	retryStaleNotePushes
} from './note-pushes.ts';
import { applyRemoteNoteUpdate } from './remote-note-changes.ts';
import { noteFixture, type } from './test-fixture.ts';

let fx: Awaited<ReturnType<typeof noteFixture>>;
beforeEach(async () => {
	fx = await noteFixture();
});
afterEach(() => fx.cleanup());

const pending = () => pendingNotePushes({ db: fx.db, keys: fx.keys });

describe('note pushes', () => {
	it('queues each batch of local edits as one note-update mutation until the server has it', async () => {
		const note = await fx.openNote();
		type(note.text, 0, 'first batch');
		await note.persistence.flush();
		type(note.text, 0, 'second ');
		await note.persistence.flush();

		const mutations = await pending();
		expect(mutations).toHaveLength(2);
		for (const mutation of mutations) {
			expect(Mutation.parse(mutation)).toEqual(mutation);
			expect(mutation).toMatchObject({
				profileId: fx.profileId,
				entityId: fx.docId,
				kind: 'note-update',
				keyVersion: 1
			});
		}
		const summary = await acknowledgeNotePushes({
			db: fx.db,
			results: [
				{ mutationId: mutations[0]!.mutationId, status: 'applied', seq: 7 },
				{ mutationId: mutations[1]!.mutationId, status: 'duplicate', seq: 8 },
				{ mutationId: crypto.randomUUID(), status: 'applied', seq: 9 }
			]
		});
		expect(summary).toEqual({ pushed: 2, rejected: 0 });
		expect(await pending()).toEqual([]);
		expect(await fx.db.notePushes.count()).toBe(0);
		// The rows stay: they are the note's log on this device.
		expect(await fx.db.noteUpdates.count()).toBe(2);
		await note.persistence.destroy();
	});

	it('keeps a refused push with its reason until it is retried', async () => {
		const note = await fx.openNote();
		type(note.text, 0, 'viewer typed this');
		await note.persistence.flush();
		const [mutation] = await pending();
		await acknowledgeNotePushes({
			db: fx.db,
			results: [
				{
					mutationId: mutation!.mutationId,
					status: 'rejected',
					error: { code: 'read_only', message: 'Viewers cannot write' }
				}
			]
		});
		expect(await pending()).toEqual([]);
		expect((await fx.db.notePushes.toArray())[0]!.pushError).toBe(
			'read_only: Viewers cannot write'
		);
		expect(await retryRejectedNotePushes(fx.db)).toBe(1);
		expect((await pending()).map((m) => m.mutationId)).toEqual([mutation!.mutationId]);
		await note.persistence.destroy();
	});

	it('seals a waiting row again under the profile key version that is current now', async () => {
		const note = await fx.openNote();
		type(note.text, 0, 'before rotation');
		await note.persistence.flush();
		fx.keys.add(fx.profileId, await generateProfileKey({ version: 2 }));
		const [mutation] = await pending();
		expect(mutation!.keyVersion).toBe(2);
		expect(readEnvelopeKeyVersion(fromBase64Url(mutation!.ciphertext))).toBe(2);

		// Another device opens it under version 2 as the same note.
		const other = await noteFixture();
		const change = { ...mutation!, kind: 'note-update' as const };
		expect(await applyRemoteNoteUpdate({ db: other.db, keys: fx.keys, change })).toBe('applied');
		await note.persistence.destroy();
		await other.cleanup();
	});

	it('pushes one snapshot in place of the unsent updates a compaction covered', async () => {
		const note = await fx.openNote({ compactAfter: 4 });
		for (const word of ['one ', 'two ', 'three ', 'four ']) {
			type(note.text, note.text.length, word);
			await note.persistence.refresh();
		}
		const mutations = await pending();
		expect(mutations.map((m) => m.kind)).toEqual(['note-snapshot']);
		await note.persistence.destroy();
	});

	it('publishes a snapshot on request even when the server has every update', async () => {
		const note = await fx.openNote();
		type(note.text, 0, 'synced text');
		await note.persistence.flush();
		const [update] = await pending();
		await acknowledgeNotePushes({
			db: fx.db,
			results: [{ mutationId: update!.mutationId, status: 'applied', seq: 1 }]
		});
		await note.persistence.compact();
		expect(await pending()).toEqual([]);
		await note.persistence.compact({ publish: true });
		expect((await pending()).map((m) => m.kind)).toEqual(['note-snapshot']);
		await note.persistence.destroy();
	});

	it('pushes only notes of the profiles it is given (the ones the server knows)', async () => {
		const note = await fx.openNote();
		type(note.text, 0, 'made offline');
		await note.persistence.flush();
		const elsewhere = new Set([crypto.randomUUID()]);
		expect(await pendingNotePushes({ db: fx.db, keys: fx.keys, profileIds: elsewhere })).toEqual(
			[]
		);
		const known = new Set([fx.profileId]);
		expect(await pendingNotePushes({ db: fx.db, keys: fx.keys, profileIds: known })).toHaveLength(
			1
		);
		await note.persistence.destroy();
	});

	it('counts what waits and what was refused, and retries a stale key version once its profile moved on', async () => {
		const note = await fx.openNote();
		for (const words of ['one', 'two']) {
			type(note.text, 0, words);
			await note.persistence.flush();
		}
		const [first, second] = await pending();
		await acknowledgeNotePushes({
			db: fx.db,
			results: [
				{
					mutationId: first!.mutationId,
					status: 'rejected',
					error: { code: 'stale_key_version', message: 'Sealed under an old key' }
				},
				{
					mutationId: second!.mutationId,
					status: 'rejected',
					error: { code: 'read_only', message: 'Viewers cannot write' }
				}
			]
		});
		expect(await countNotePushes(fx.db)).toEqual({ waiting: 0, refused: 2 });
		expect(await retryStaleNotePushes(fx.db, [crypto.randomUUID()])).toBe(0);
		expect(await retryStaleNotePushes(fx.db, [fx.profileId])).toBe(1);
		expect(await countNotePushes(fx.db)).toEqual({ waiting: 1, refused: 1 });
		expect((await pending()).map((m) => m.mutationId)).toEqual([first!.mutationId]);
		await note.persistence.destroy();
	});
});
