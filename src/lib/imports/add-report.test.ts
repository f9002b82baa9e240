import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { vaultFixture, zyx } from '../vault/test-fixture.ts';
import { addReport, type ReportFile } from './add-report.ts';
import { deleteImport, retryImport } from './queue-actions.ts';

let fx: Awaited<ReturnType<typeof vaultFixture>>;
let profileId: string;

beforeEach(async () => {
	fx = await vaultFixture();
	profileId = await fx.vault.createProfile(zyx);
});
afterEach(() => fx.cleanup());

const text = (value: string, name = 'lipids march.txt'): ReportFile => {
	const bytes = new TextEncoder().encode(value);
	return { name, type: 'text/plain', size: bytes.length, bytes: async () => bytes.slice() };
};

const add = async (file: ReportFile, vault = fx.vault, replacing?: string) =>
	addReport({
		db: fx.db,
		vault,
		profileKey: await fx.vault.profileKeyFor(profileId, 1),
		profileId,
		file,
		replacing
	});

async function counts() {
	const { db } = fx;
	const documents = await db.profileRecords
		.filter((row) => row.kind === 'document-reference')
		.count();
	return {
		imports: await db.imports.count(),
		attachments: await db.attachments.count(),
		chunks: await db.attachmentChunks.count(),
		documents,
		outbox: await db.outbox.count()
	};
}

describe('adding a report', () => {
	it('keeps the file sealed, records its document and queues the import', async () => {
		const before = await counts();
		const row = await add(text('Cholesterol 5.2 mmol/L'));
		expect(row).toMatchObject({ state: 'queued', percent: 0, profileId });
		expect(await counts()).toEqual({
			imports: 1,
			attachments: 1,
			chunks: 1,
			documents: 1,
			outbox: before.outbox + 1
		});
		const document = await fx.vault.getRecord({ profileId, id: row.documentId });
		expect(document && 'data' in document ? document.data : null).toMatchObject({
			title: 'lipids march',
			contentType: 'text/plain',
			size: 22,
			hash: expect.stringMatching(/^[0-9a-f]{64}$/),
			attachmentId: row.attachmentId
		});
	});

	it('stores nothing but a failed import for a file the server would refuse', async () => {
		const before = await counts();
		const empty = await add({ ...text(''), name: 'blank.pdf', type: 'application/pdf' });
		const wrong = await add({ ...text('not a pdf'), name: 'letter.pdf', type: 'application/pdf' });
		const zip = await add({ ...text('PK'), name: 'a.zip', type: 'application/zip' });
		// A 100 MB scan is refused by its size alone: its bytes are never read.
		let read = false;
		const huge = await add({
			name: 'scan.pdf',
			type: 'application/pdf',
			size: 100 * 1024 * 1024,
			bytes: async () => {
				read = true;
				return new Uint8Array(100 * 1024 * 1024);
			}
		});
		expect(read).toBe(false);
		expect([empty, wrong, zip, huge].map((row) => [row.state, row.error?.code])).toEqual([
			['failed', 'empty_file'],
			['failed', 'type_mismatch'],
			['failed', 'unsupported_type'],
			['failed', 'payload_too_large']
		]);
		expect(await counts()).toEqual({ ...before, imports: 4 });
		// Retry on such a row needs the file again: choosing it replaces the failed import.
		expect(await retryImport({ db: fx.db, importId: wrong.id })).toBe(false);
		const again = await add(text('Now it is text'), fx.vault, wrong.id);
		expect(again).toMatchObject({ id: wrong.id, state: 'queued' });
	});

	it('leaves nothing half-written when recording the document fails', async () => {
		const before = await counts();
		const failing = {
			...fx.vault,
			saveRecord: async () => {
				throw new Error('disk full');
			}
		};
		await expect(add(text('Sodium 139'), failing)).rejects.toThrow('disk full');
		expect(await counts()).toEqual(before);
	});

	it('takes the document back without a trace when queueing fails', async () => {
		const before = await counts();
		const refuse = () => {
			throw new Error('quota');
		};
		fx.db.imports.hook('creating', refuse);
		await expect(add(text('Sodium 139'))).rejects.toThrow('quota');
		fx.db.imports.hook('creating').unsubscribe(refuse);
		expect(await counts()).toEqual(before);
	});

	it('retries a failed import from the start and deletes one with its document and file', async () => {
		const before = await counts();
		const row = await add(text('Potassium 4.4'));
		await fx.db.imports.update(row.id, {
			state: 'failed',
			jobId: '00000000-0000-4000-8000-000000000000',
			error: { code: 'no-text', message: 'No text.' }
		});
		expect(await retryImport({ db: fx.db, importId: row.id })).toBe(true);
		const retried = await fx.db.imports.get(row.id);
		expect(retried).toMatchObject({ state: 'queued', percent: 0 });
		expect(retried?.jobId).toBeUndefined();
		expect(retried?.error).toBeUndefined();

		await deleteImport({ db: fx.db, vault: fx.vault, importId: row.id });
		// Never synced: the document goes with its outbox row, as if it had never been added.
		expect(await counts()).toEqual(before);
	});
});
