import type { Page } from '@playwright/test';
import { createAccount, PASSWORD } from './account.ts';
import { expect, test } from './fixtures.ts';
import { dumpIndexedDb, outboxRows } from './indexeddb.ts';
import { synced } from './sync-status.ts';

/** Everything the clinician types below: none of it may reach IndexedDB in plaintext. */
const TYPED = {
	given: 'Zyxwvuta',
	family: 'Quorran',
	mrn: 'MRN-58213',
	test: 'Haemoglobin rarebird',
	condition: 'Tenosynovitis quillfeather',
	conditionEdited: 'Tenosynovitis quillfeather chronic',
	allergy: 'Penicillium marbleroot',
	reaction: 'Hives lanternfish'
};

async function addPatient(page: Page) {
	await page.getByRole('link', { name: 'New patient' }).click();
	await page.getByLabel('Given names').fill(TYPED.given);
	await page.getByLabel('Family name').fill(TYPED.family);
	await page.getByLabel('Date of birth').fill('1961-04-12');
	await page.getByLabel('Sex').selectOption('female');
	await page.getByLabel('Medical record number (MRN)').fill(TYPED.mrn);
	await page.getByRole('button', { name: 'Save patient' }).click();
	await expect(page.getByRole('heading', { name: `${TYPED.given} ${TYPED.family}` })).toBeVisible();
}

async function addRecords(page: Page) {
	await page.getByRole('link', { name: 'Add lab result or vital sign' }).click();
	await page.getByLabel('Test').fill(TYPED.test);
	await page.getByLabel('LOINC code').fill('718-7');
	await page.getByLabel('Result').fill('9.1');
	await page.getByLabel('Unit').fill('g/dL');
	await page.getByLabel('Flag').selectOption('L');
	await page.getByLabel('Reference low').fill('12');
	await page.getByLabel('Reference high').fill('15.5');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('cell', { name: '9.1 g/dL' })).toBeVisible();

	await page.getByRole('link', { name: 'Add condition' }).click();
	await page.getByLabel('Condition').fill(TYPED.condition);
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByText(TYPED.condition)).toBeVisible();

	await page.getByRole('link', { name: 'Add allergy or intolerance' }).click();
	await page.getByLabel('Substance').fill(TYPED.allergy);
	await page.getByLabel('Reaction', { exact: true }).fill(TYPED.reaction);
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByTestId('record')).toHaveCount(3);
}

test('a clinician creates records online, opens and edits them offline, and IndexedDB holds none of what was typed', async ({
	page,
	context
}) => {
	test.setTimeout(120_000);
	await createAccount(page, `clinician-${Date.now()}@example.org`);
	await addPatient(page);
	await addRecords(page);
	const profileUrl = page.url();
	await synced(page);

	await context.setOffline(true);
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Charta is locked' })).toBeVisible();
	await page.getByLabel('Master password').fill('not the password at all');
	await page.getByRole('button', { name: 'Unlock' }).click();
	await expect(page.getByText('That password does not unlock Charta')).toBeVisible({
		timeout: 20_000
	});
	await page.getByLabel('Master password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Unlock' }).click();
	await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible({ timeout: 20_000 });

	await page.getByLabel('Search patients by name').fill('quorr');
	await page.getByRole('link', { name: new RegExp(TYPED.family) }).click();
	await expect(page.getByTestId('record')).toHaveCount(3);
	await page.getByRole('link', { name: `Edit ${TYPED.condition}` }).click();
	await page.getByLabel('Condition').fill(TYPED.conditionEdited);
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByText(TYPED.conditionEdited)).toBeVisible();
	expect(page.url()).toBe(profileUrl);
	await expect(page.getByTestId('sync-status')).toHaveText('Saved on this device (1)');

	await page.getByRole('button', { name: 'Lock' }).click();
	await expect(page.getByRole('heading', { name: 'Charta is locked' })).toBeVisible();
	await page.goto(profileUrl);
	await expect(page.getByRole('heading', { name: 'Charta is locked' })).toBeVisible();

	const dump = await dumpIndexedDb(page);
	expect(dump).toContain('[charta-device/accounts]');
	expect(dump).toMatch(/\[charta-user-[0-9a-f-]+\/profileRecords\]/);
	for (const typed of [...Object.values(TYPED), PASSWORD]) {
		expect(dump, `"${typed}" is stored in plaintext`).not.toContain(typed);
		expect(dump.toLowerCase()).not.toContain(typed.toLowerCase());
	}
});

test('a corrupted record shows "This record cannot be decrypted" and the rest still opens', async ({
	page,
	context
}) => {
	test.setTimeout(120_000);
	await createAccount(page, `corrupt-${Date.now()}@example.org`);
	await addPatient(page);
	await addRecords(page);
	// Once the records are on the server and their echo pulled, the device goes offline: a pull
	// after the damage would put the server's intact copy back (which a device should do), and
	// this test is about what the person sees while it has not.
	await expect.poll(() => outboxRows(page), { timeout: 20_000 }).toBe(0);
	await synced(page);
	await context.setOffline(true);

	// Flip one byte inside the condition's ciphertext, as a failing disk or a tamperer would.
	await page.evaluate(async () => {
		const name = (await indexedDB.databases()).find((db) =>
			db.name?.startsWith('charta-user-')
		)!.name!;
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const request = indexedDB.open(name);
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		const store = db.transaction('profileRecords', 'readwrite').objectStore('profileRecords');
		const rows = await new Promise<{ kind: string; envelope: Uint8Array }[]>((resolve) => {
			const request = store.getAll();
			request.onsuccess = () => resolve(request.result);
		});
		const row = rows.find((r) => r.kind === 'condition')!;
		row.envelope[row.envelope.length - 20]! ^= 0x01;
		store.put(row);
		await new Promise((resolve) => (store.transaction.oncomplete = resolve));
		db.close();
	});

	await page.reload();
	await expect(page.getByRole('heading', { name: 'Charta is locked' })).toBeVisible();
	await page.getByLabel('Master password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Unlock' }).click();
	await page.getByRole('link', { name: new RegExp(TYPED.family) }).click();
	await expect(page.getByTestId('record')).toHaveCount(3);
	await expect(page.getByText('This record cannot be decrypted.')).toHaveCount(1);
	await expect(page.getByText(TYPED.allergy)).toBeVisible();
	await expect(page.getByRole('cell', { name: '9.1 g/dL' })).toBeVisible();
});
