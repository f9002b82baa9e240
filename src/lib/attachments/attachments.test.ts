import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { Dexie } from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateProfileKey, type ProfileKey } from '../crypto/index.ts';
import { openUserDb, type UserDb } from '../db/index.ts';
import { IMPORT_MAX_FILE_BYTES } from '../shared/imports.ts';
import {
	ATTACHMENT_CHUNK_BYTES,
	AttachmentCorruptError,
	AttachmentExistsError,
	AttachmentTooLargeError,
	deleteAttachment,
	readAttachment,
	storeAttachment
} from './index.ts';
import { containsMarker, markedFile, sameBytes } from './test-file.ts';

const PROFILE = crypto.randomUUID();
const DOCUMENT = crypto.randomUUID();
// Reading never needs the network here: every chunk is on the device.
const noNetwork: typeof fetch = () => Promise.reject(new TypeError('offline'));

let db: UserDb;
let key: ProfileKey;

beforeEach(async () => {
	db = openUserDb(crypto.randomUUID());
	key = await generateProfileKey({ version: 1 });
});
afterEach(async () => {
	db.close();
	await Dexie.delete(db.name);
});

const store = (bytes: Uint8Array, attachmentId: string = crypto.randomUUID()) =>
	storeAttachment({
		db,
		profileKey: key,
		profileId: PROFILE,
		documentId: DOCUMENT,
		attachmentId,
		bytes
	});

const read = (attachmentId: string, sha256?: string) =>
	readAttachment({
		db,
		fetch: noNetwork,
		profileId: PROFILE,
		attachmentId,
		profileKey: async () => key,
		sha256
	});

const chunksOf = (attachmentId: string) =>
	db.attachmentChunks
		.where('[attachmentId+index]')
		.between([attachmentId, 0], [attachmentId, 99])
		.toArray();

describe('storing a file as sealed chunks', () => {
	it('splits 600 KB into three chunks of 256 KiB at most, and reads the same bytes back', async () => {
		const bytes = markedFile(600_000);
		const { attachment, sha256 } = await store(bytes);
		expect(sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
		expect(attachment).toMatchObject({
			profileId: PROFILE,
			documentId: DOCUMENT,
			keyVersion: 1,
			chunkCount: 3,
			size: 600_000,
			state: 'local',
			uploadedChunks: 0
		});
		expect(ATTACHMENT_CHUNK_BYTES).toBe(256 * 1024);
		expect(await db.attachments.get(attachment.id)).toEqual(attachment);
		expect((await chunksOf(attachment.id)).map((c) => c.index)).toEqual([0, 1, 2]);
		expect(sameBytes(await read(attachment.id, sha256), bytes)).toBe(true);
	});

	it('keeps no plaintext on the device: the marker is in no chunk and no row', async () => {
		const { attachment } = await store(markedFile(600_000));
		for (const chunk of await chunksOf(attachment.id))
			expect(containsMarker(chunk.envelope)).toBe(false);
		expect(JSON.stringify(await db.attachments.toArray())).not.toContain('MARKER');
	});

	it('stores an empty file as one empty chunk', async () => {
		const { attachment } = await store(new Uint8Array(0));
		expect(attachment.chunkCount).toBe(1);
		expect(sameBytes(await read(attachment.id), new Uint8Array(0))).toBe(true);
	});

	it('refuses a file over the import limit, and stores nothing', async () => {
		await expect(store(new Uint8Array(IMPORT_MAX_FILE_BYTES + 1))).rejects.toBeInstanceOf(
			AttachmentTooLargeError
		);
		expect(await db.attachments.count()).toBe(0);
		expect(await db.attachmentChunks.count()).toBe(0);
	});

	it('never overwrites a stored file with another under the same id', async () => {
		const { attachment } = await store(markedFile(1000));
		await expect(store(markedFile(2000), attachment.id)).rejects.toBeInstanceOf(
			AttachmentExistsError
		);
		expect(sameBytes(await read(attachment.id), markedFile(1000))).toBe(true);
	});

	it('deletes the row and every chunk from this device', async () => {
		const kept = await store(markedFile(300_000));
		const { attachment } = await store(markedFile(600_000));
		await deleteAttachment({ db, attachmentId: attachment.id });
		expect(await db.attachments.get(attachment.id)).toBeUndefined();
		expect(await chunksOf(attachment.id)).toEqual([]);
		expect(await chunksOf(kept.attachment.id)).toHaveLength(2);
	});
});

describe('chunks that were moved, swapped, cut off or changed fail to open', () => {
	async function expectCorrupt(attachmentId: string, index?: number, sha256?: string) {
		const error = await read(attachmentId, sha256).then(
			() => null,
			(e: unknown) => e
		);
		expect(error).toBeInstanceOf(AttachmentCorruptError);
		if (index !== undefined) expect((error as AttachmentCorruptError).index).toBe(index);
	}

	it('refuses chunks put in another order', async () => {
		const { attachment } = await store(markedFile(600_000));
		const [first, second] = await chunksOf(attachment.id);
		await db.attachmentChunks.bulkPut([
			{ ...first!, envelope: second!.envelope },
			{ ...second!, envelope: first!.envelope }
		]);
		await expectCorrupt(attachment.id, 0);
	});

	it('refuses a chunk taken from another file at the same index', async () => {
		const a = await store(markedFile(600_000));
		const b = await store(markedFile(600_000));
		const [fromB] = await chunksOf(b.attachment.id);
		await db.attachmentChunks.put({
			attachmentId: a.attachment.id,
			index: 0,
			envelope: fromB!.envelope
		});
		await expectCorrupt(a.attachment.id, 0);
	});

	it('refuses a file cut short, even when its row is changed to match', async () => {
		const { attachment } = await store(markedFile(600_000));
		await db.attachmentChunks.delete([attachment.id, 2]);
		await db.attachments.update(attachment.id, { chunkCount: 2 });
		await expectCorrupt(attachment.id, 0);
	});

	it('refuses a chunk with one byte changed', async () => {
		const { attachment } = await store(markedFile(600_000));
		const [, second] = await chunksOf(attachment.id);
		const envelope = second!.envelope.slice();
		envelope[100]! ^= 1;
		await db.attachmentChunks.put({ ...second!, envelope });
		await expectCorrupt(attachment.id, 1);
	});

	it('refuses a file whose SHA-256 is not the one its record names', async () => {
		const { attachment } = await store(markedFile(1000));
		await expectCorrupt(attachment.id, undefined, 'ab'.repeat(32));
	});
});
