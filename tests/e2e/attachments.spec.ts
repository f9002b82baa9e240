import { createHash, randomUUID } from 'node:crypto';
import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { storeAttachment, uploadAttachment } from '../../src/lib/attachments/index.ts';
import { importPrivateKeyPkcs8, importPublicKey } from '../../src/lib/crypto/index.ts';
import { declareUserDbSchema, type UserDb } from '../../src/lib/db/index.ts';
import { createClock } from '../../src/lib/hlc/index.ts';
import type { SessionResponse } from '../../src/lib/shared/auth.ts';
import { createSyncClient } from '../../src/lib/sync/index.ts';
import { createVault } from '../../src/lib/vault/index.ts';
import { createClientAccount, derivePasswordKeys, signupBody } from '../helpers/auth-client.ts';
import { PASSWORD } from './account.ts';
import { expect, test } from './fixtures.ts';
import { synced } from './sync-status.ts';

// Issue 5, a document's original: another device of the same account (here a device in Node:
// fake-indexeddb, the app's own vault, sync client and attachment code, real WebCrypto) adds a
// text document with its file; the browser signs in, finds the document, and "Open original"
// downloads the sealed chunks, opens them and shows the file — not while offline, with a clear
// message, and from the device once downloaded.

const TEXT = `Full blood count\nHaemoglobin 13.2 g/dL\n${'Reference ranges apply. '.repeat(20_000)}`;

/** A browser's fetch against the real server, with the session cookie kept. */
function cookieFetch(origin: string): typeof globalThis.fetch {
	let cookie = '';
	return async (input, init) => {
		const headers = new Headers(init?.headers);
		if (cookie) headers.set('cookie', cookie);
		const response = await fetch(new URL(String(input), origin), { ...init, headers });
		const set = response.headers.getSetCookie()[0];
		if (set) cookie = set.split(';')[0]!;
		return response;
	};
}

async function addDocumentElsewhere(origin: string, email: string) {
	const account = await createClientAccount(await derivePasswordKeys(PASSWORD));
	const fetch = cookieFetch(origin);
	const signup = await fetch('/v1/auth/signup', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(signupBody(account, email))
	});
	expect(signup.status).toBe(201);
	const { user } = (await signup.json()) as SessionResponse;
	const userKeyPair = {
		privateKey: await importPrivateKeyPkcs8(account.privateKeyPkcs8),
		publicKey: await importPublicKey(account.publicKey)
	};
	const db = new Dexie(`charta-user-${user.id}`, {
		indexedDB: new IDBFactory(),
		IDBKeyRange
	}) as UserDb;
	declareUserDbSchema(db);
	const clock = createClock({ nodeId: 'laptop' });
	const vault = createVault({ db, userKeyPair, clock, fetch });
	const sync = createSyncClient({ db, userKeyPair, clock, fetch, autoRetry: false });
	try {
		const profileId = await vault.createProfile({
			name: { given: ['Odile'], family: 'Originalia' },
			birthDate: '1972-09-30'
		});
		const bytes = new TextEncoder().encode(TEXT);
		const attachmentId = randomUUID();
		const documentId = randomUUID();
		const { sha256 } = await storeAttachment({
			db,
			profileKey: await vault.profileKeyFor(profileId, 1),
			profileId,
			documentId,
			attachmentId,
			bytes
		});
		expect(sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
		await vault.saveRecord({
			profileId,
			kind: 'document-reference',
			id: documentId,
			data: {
				title: 'Blood count letter',
				contentType: 'text/plain',
				size: bytes.length,
				hash: sha256,
				date: '2026-11-20',
				attachmentId
			}
		});
		// The profile reaches the server with the first sync; its files can follow only then.
		expect(await sync.syncNow()).toMatchObject({ state: 'synced', pending: 0 });
		await uploadAttachment({ db, fetch, attachmentId });
	} finally {
		sync.destroy();
		vault.close();
		db.close();
	}
}

test('“Open original” downloads another device’s file, says so offline, then opens it from the device', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(120_000);
	const email = `originals-${Date.now()}@example.org`;
	await addDocumentElsewhere(baseURL!, email);

	const context = await browser.newContext({ baseURL });
	const page = await context.newPage();
	await page.goto('/signin');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Master password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await synced(page);
	await page.getByRole('link', { name: /Odile Originalia/ }).click();
	await page.getByRole('link', { name: 'Edit Blood count letter' }).click();
	const open = page.getByRole('button', { name: 'Open original' });

	// Offline, and the file never came to this browser: it says what to do.
	await context.setOffline(true);
	await open.click();
	await expect(page.getByRole('alert')).toContainText('not on this device yet');
	await context.setOffline(false);

	const tab = context.waitForEvent('page');
	await open.click();
	const shown = await tab;
	await expect.poll(() => shown.url()).toMatch(/^blob:/);
	await expect(shown.locator('body')).toContainText('Haemoglobin 13.2 g/dL');
	await expect(page.getByRole('link', { name: 'Open Blood count letter' })).toBeVisible();
	await shown.close();

	// Kept on the device: it opens offline now.
	await context.setOffline(true);
	const again = context.waitForEvent('page');
	await open.click();
	await expect((await again).locator('body')).toContainText('Full blood count');
	await expect(page.getByRole('alert')).toHaveCount(0);
	await context.close();
});
