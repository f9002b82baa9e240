import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateProfileKey } from '../crypto/index.ts';
import { NetworkError } from '../http/api-errors.ts';
import { createNotePersistence, countNotePushes } from '../notes/index.ts';
import { keyRing } from '../notes/test-fixture.ts';
import type { PushRequest, PushResponse } from '../shared/sync.ts';
import { glucose, vaultFixture, zyx } from '../vault/test-fixture.ts';
import { pushOutbox, retryRejected } from './push-outbox.ts';
import { registeredKey } from './sync-settings.ts';

let fx: Awaited<ReturnType<typeof vaultFixture>>;
beforeEach(async () => {
	fx = await vaultFixture();
});
afterEach(() => fx.cleanup());

async function profileWithRecords(count: number) {
	const profileId = await fx.vault.createProfile(zyx);
	await fx.db.settings.put({ key: registeredKey(profileId), value: true });
	const ids: string[] = [];
	for (let i = 0; i < count; i++) {
		ids.push(await fx.vault.saveRecord({ profileId, kind: 'observation', data: glucose }));
	}
	return { profileId, ids };
}

const answering =
	(decide: (m: PushRequest['mutations'][number]) => PushResponse['results'][number]) =>
	async (body: PushRequest): Promise<PushResponse> => ({ results: body.mutations.map(decide) });

describe('pushOutbox', () => {
	it('sends only the newest row of each record and removes all of them once applied', async () => {
		const { profileId, ids } = await profileWithRecords(1);
		fx.advance(1);
		await fx.vault.saveRecord({
			profileId,
			kind: 'observation',
			id: ids[0],
			data: { ...glucose, note: 'x' }
		});
		expect(await fx.db.outbox.count()).toBe(3);
		const sent: PushRequest[] = [];
		const push = async (body: PushRequest) => {
			sent.push(body);
			return answering((m) => ({ mutationId: m.mutationId, status: 'applied', seq: 1 }))(body);
		};
		expect(await pushOutbox({ db: fx.db, api: { push }, clientId: 'c' })).toEqual({
			applied: 2,
			rejected: 0
		});
		expect(sent[0]!.mutations.map((m) => m.entityId).sort()).toEqual([ids[0], profileId].sort());
		expect(await fx.db.outbox.count()).toBe(0);
	});

	it('drains in batches no larger than asked', async () => {
		await profileWithRecords(6);
		const sizes: number[] = [];
		const push = async (body: PushRequest) => {
			sizes.push(body.mutations.length);
			return answering((m) => ({ mutationId: m.mutationId, status: 'duplicate', seq: 1 }))(body);
		};
		await pushOutbox({ db: fx.db, api: { push }, clientId: 'c', batchSize: 3 });
		expect(sizes).toEqual([3, 3, 1]);
		expect(await fx.db.outbox.count()).toBe(0);
	});

	it('sends the next batch while the server is still answering the one before', async () => {
		await profileWithRecords(5);
		const events: string[] = [];
		let secondSent = () => {};
		let pushes = 0;
		const push = async (body: PushRequest) => {
			const number = ++pushes;
			events.push(`push ${number}`);
			// The first answer comes once the second batch is on its way (or after 2 s, when it
			// never is, and the order below shows it).
			if (number === 1) {
				await new Promise<void>((resolve) => {
					secondSent = resolve;
					setTimeout(resolve, 2000);
				});
			} else {
				secondSent();
			}
			events.push(`answer ${number}`);
			return answering((m) => ({ mutationId: m.mutationId, status: 'applied', seq: 1 }))(body);
		};
		expect(await pushOutbox({ db: fx.db, api: { push }, clientId: 'c', batchSize: 3 })).toEqual({
			applied: 6,
			rejected: 0
		});
		expect(events.indexOf('push 2')).toBeLessThan(events.indexOf('answer 1'));
		expect(await fx.db.outbox.count()).toBe(0);
	});

	it('keeps the rows of a batch whose request failed, and settles the one sent beside it', async () => {
		const { profileId, ids } = await profileWithRecords(5);
		let pushes = 0;
		let secondAnswered = () => {};
		const push = async (body: PushRequest) => {
			if (++pushes === 1) {
				// The first request fails after the second one has been answered.
				await new Promise<void>((resolve) => {
					secondAnswered = resolve;
					setTimeout(resolve, 2000);
				});
				throw new NetworkError(new TypeError('connection reset'));
			}
			const answer = answering((m) => ({ mutationId: m.mutationId, status: 'applied', seq: 1 }))(
				body
			);
			secondAnswered();
			return answer;
		};
		await expect(
			pushOutbox({ db: fx.db, api: { push }, clientId: 'c', batchSize: 3 })
		).rejects.toThrow(NetworkError);
		// The patient and two records went first (and failed); the other three were stored.
		const left = await fx.db.outbox.toArray();
		expect(left.map((row) => row.entityId).sort()).toEqual([profileId, ids[0], ids[1]].sort());
		expect(left.every((row) => row.lastError === undefined)).toBe(true);
	});

	it('keeps rejected rows with the reason and does not resend them until retried', async () => {
		const { ids } = await profileWithRecords(2);
		const push = answering((m) =>
			m.entityId === ids[0]
				? {
						mutationId: m.mutationId,
						status: 'rejected',
						error: { code: 'read_only', message: 'viewers cannot write' }
					}
				: { mutationId: m.mutationId, status: 'applied', seq: 1 }
		);
		expect(await pushOutbox({ db: fx.db, api: { push }, clientId: 'c' })).toEqual({
			applied: 2,
			rejected: 1
		});
		const [kept] = await fx.db.outbox.toArray();
		expect(kept).toMatchObject({
			entityId: ids[0],
			attempts: 1,
			lastError: 'read_only: viewers cannot write'
		});
		let calls = 0;
		const counting = async (body: PushRequest) => {
			calls++;
			return push(body);
		};
		await pushOutbox({ db: fx.db, api: { push: counting }, clientId: 'c' });
		expect(calls).toBe(0);
		expect(await retryRejected(fx.db)).toBe(1);
		await pushOutbox({ db: fx.db, api: { push: counting }, clientId: 'c' });
		expect(calls).toBe(1);
		expect((await fx.db.outbox.toArray())[0]).toMatchObject({ attempts: 2 });
	});

	it('loses no row when the push fails, and holds back profiles the server does not know', async () => {
		await profileWithRecords(2);
		const unregistered = await fx.vault.createProfile(zyx);
		const before = await fx.db.outbox.toArray();
		const failing = async (): Promise<PushResponse> => {
			throw new NetworkError(new TypeError('offline'));
		};
		await expect(pushOutbox({ db: fx.db, api: { push: failing }, clientId: 'c' })).rejects.toThrow(
			NetworkError
		);
		expect(await fx.db.outbox.toArray()).toEqual(before);

		const ok = answering((m) => ({ mutationId: m.mutationId, status: 'applied', seq: 1 }));
		await pushOutbox({ db: fx.db, api: { push: ok }, clientId: 'c' });
		expect((await fx.db.outbox.toArray()).map((row) => row.profileId)).toEqual([unregistered]);
	});
	it('sends an import’s batch row as one mutation per record, in batches, with ids that repeat on a resend', async () => {
		const profileId = await fx.vault.createProfile(zyx);
		await fx.db.settings.put({ key: registeredKey(profileId), value: true });
		const ids = await fx.vault.saveRecords({
			profileId,
			records: Array.from({ length: 7 }, () => ({ kind: 'observation' as const, data: glucose }))
		});
		const sent: PushRequest['mutations'][] = [];
		let lose = true;
		const push = async (body: PushRequest): Promise<PushResponse> => {
			sent.push(body.mutations);
			// The first answer is lost on the way back: the same mutations must go again. The
			// second request, sent beside it, is answered.
			if (lose) {
				lose = false;
				throw new NetworkError(new TypeError('connection reset'));
			}
			return answering((m) =>
				m.entityId === ids[4]
					? {
							mutationId: m.mutationId,
							status: 'rejected',
							error: { code: 'invalid', message: 'bad envelope' }
						}
					: { mutationId: m.mutationId, status: 'applied', seq: 1 }
			)(body);
		};
		await expect(
			pushOutbox({ db: fx.db, api: { push }, clientId: 'c', batchSize: 3 })
		).rejects.toThrow(NetworkError);
		// The patient's row, the batch row without the three answered, the refused record's own row.
		expect(await fx.db.outbox.count()).toBe(3);
		expect(await pushOutbox({ db: fx.db, api: { push }, clientId: 'c', batchSize: 3 })).toEqual({
			applied: 5,
			rejected: 0
		});
		// Patient + 7 records in batches of 3: the first two went together and the first was
		// lost; the next run sent it again, with the same ids, and the last batch.
		expect(sent.map((batch) => batch.length)).toEqual([3, 3, 3, 2]);
		expect(sent[2]!.map((m) => m.mutationId)).toEqual(sent[0]!.map((m) => m.mutationId));
		const all = sent.slice(1).flat();
		expect(all.map((m) => m.entityId).sort()).toEqual([profileId, ...ids].sort());
		expect(new Set(all.map((m) => m.mutationId)).size).toBe(all.length);
		expect(
			all.every((m) => /^[0-9a-f]{8}-[0-9a-f]{4}-[48][0-9a-f]{3}-[89ab]/.test(m.mutationId))
		).toBe(true);
		// The refused record waits on its own, with its reason and its own id; the rest left.
		const left = await fx.db.outbox.toArray();
		expect(left).toHaveLength(1);
		expect(left[0]).toMatchObject({
			entityId: ids[4],
			attempts: 1,
			lastError: 'invalid: bad envelope'
		});
		expect(left[0]!.entityIds).toBeUndefined();
		expect(left[0]!.mutationId).toBe(all.find((m) => m.entityId === ids[4])!.mutationId);
	});

	it('fills the room records leave in each request with note edits, and does not resend one the server left unanswered', async () => {
		const { profileId } = await profileWithRecords(2);
		const noteKeys = keyRing({ [profileId]: [await generateProfileKey({ version: 1 })] });
		for (const words of ['first note', 'second note']) {
			const doc = new Y.Doc();
			const persistence = createNotePersistence({
				db: fx.db,
				doc,
				profileId,
				docId: crypto.randomUUID(),
				keys: noteKeys,
				watch: false
			});
			await persistence.whenSynced;
			doc.getText('body').insert(0, words);
			await persistence.destroy();
		}
		const sent: PushRequest[] = [];
		let unanswered: string | undefined;
		const push = async (body: PushRequest) => {
			sent.push(body);
			const notes = body.mutations.filter((m) => m.kind === 'note-update');
			unanswered ??= notes[0]?.mutationId;
			return {
				results: body.mutations
					.filter((m) => m.mutationId !== unanswered)
					.map((m) => ({ mutationId: m.mutationId, status: 'applied' as const, seq: 1 }))
			};
		};
		expect(
			await pushOutbox({ db: fx.db, api: { push }, clientId: 'c', batchSize: 4, noteKeys })
		).toEqual({ applied: 4, rejected: 1 });
		expect(sent.map((body) => body.mutations.map((m) => m.kind))).toEqual([
			['profile', 'record', 'record', 'note-update'],
			['note-update']
		]);
		expect(await fx.db.outbox.count()).toBe(0);
		expect(await countNotePushes(fx.db)).toEqual({ waiting: 0, refused: 1 });
		const [refused] = await fx.db.notePushes.toArray();
		expect(refused).toMatchObject({
			mutationId: unanswered,
			pushError: 'invalid: the server did not answer for this change'
		});
	});
});
