import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateProfileKey, type ProfileKey } from '../../crypto/index.ts';
import { openUserDb, type ImportRow, type UserDb } from '../../db/index.ts';
import { sealImportResult } from '../import-result.ts';
import { loadReview } from './load-review.ts';
import { sampleExtraction } from './sample-extraction.ts';

const profileId = 'profile-1';
const importId = 'import-1';
let db: UserDb;
let keys: Map<number, ProfileKey>;

beforeEach(async () => {
	db = openUserDb(globalThis.crypto.randomUUID());
	keys = new Map([
		[1, await generateProfileKey({ version: 1 })],
		[2, await generateProfileKey({ version: 2 })]
	]);
});
afterEach(async () => {
	db.close();
	await Dexie.delete(db.name);
});

const keyFor = async (version: number) => keys.get(version)!;
const load = (id = importId, profile = profileId) =>
	loadReview({ imports: db.imports, keyFor, profileId: profile, importId: id });

async function addImport(patch: Partial<ImportRow>) {
	await db.imports.add({
		id: importId,
		profileId,
		documentId: 'doc-1',
		attachmentId: 'attachment-1',
		state: 'extracting',
		percent: 50,
		createdAt: 1,
		updatedAt: 1,
		...patch
	});
}

describe('opening an import for review', () => {
	it('opens a ready import’s extraction with the key version that sealed it', async () => {
		const sealedResult = await sealImportResult({
			profileKey: keys.get(1)!,
			profileId,
			importId,
			result: { extraction: sampleExtraction }
		});
		await addImport({ state: 'ready', sealedResult });
		expect(await load()).toMatchObject({ status: 'ready', extraction: sampleExtraction });
	});

	it('says an import is still on its way, finished, or not this profile’s', async () => {
		expect(await load()).toEqual({ status: 'missing' });
		await addImport({ state: 'extracting' });
		expect(await load()).toEqual({ status: 'waiting', state: 'extracting' });
		expect(await load(importId, 'profile-2')).toEqual({ status: 'missing' });
		await db.imports.update(importId, { state: 'accepted' });
		expect(await load()).toEqual({ status: 'accepted' });
	});

	it('refuses a result sealed for another import', async () => {
		const sealedResult = await sealImportResult({
			profileKey: keys.get(2)!,
			profileId,
			importId: 'import-2',
			result: { extraction: sampleExtraction }
		});
		await addImport({ state: 'ready', sealedResult });
		await expect(load()).rejects.toThrow();
	});
});
