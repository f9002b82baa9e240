import type { BrowserContext, Page } from '@playwright/test';
import { createAccount, PASSWORD } from './account.ts';
import { expect, test, waitForServiceWorker } from './fixtures.ts';
import { outboxRows } from './indexeddb.ts';
import { screenshotsInto } from './screenshots.ts';
import { synced } from './sync-status.ts';

// Issue 4, must show: two devices of one account. A goes offline and edits fields 1 and 2 of a
// condition (severity, note) while B edits fields 2 and 3 (note, onset) online; when A
// reconnects both show A's severity and B's onset, and a conflict on the note that resolving on
// A clears on B.

const PATIENT = 'Odalys Quenbright';
const CONDITION = 'Asthma, moderate persistent';
const NOTE_A = 'Tablet: wakes at night twice a week';
const NOTE_B = 'Phone: fine on the reliever inhaler';

async function openCondition(page: Page) {
	await page.getByRole('link', { name: 'Patients', exact: true }).click();
	await page.getByRole('link', { name: new RegExp(PATIENT) }).click();
	await page.getByRole('link', { name: `Edit ${CONDITION}` }).click();
	await expect(page.getByRole('heading', { name: 'Edit condition' })).toBeVisible();
}

// With CONFLICT_SCREENSHOTS=<folder>, full-page screenshots at phone and tablet widths.
const shoot = screenshotsInto(process.env.CONFLICT_SCREENSHOTS, { height: 1100 });

async function unlockAfterReload(page: Page) {
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Charta is locked' })).toBeVisible();
	await page.getByLabel('Master password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Unlock' }).click();
	await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible({ timeout: 20_000 });
}

async function signInSecondDevice(context: BrowserContext, email: string) {
	const page = await context.newPage();
	await page.goto('/signin');
	await waitForServiceWorker(page);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Master password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible({ timeout: 20_000 });
	await synced(page);
	return page;
}

test('a concurrent edit on two devices becomes one conflict that resolving on one device clears on both', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(180_000);
	const contextA = await browser.newContext({ baseURL });
	const contextB = await browser.newContext({ baseURL });
	const a = await contextA.newPage();
	const { email } = await createAccount(a);

	await a.getByRole('link', { name: 'New patient' }).click();
	await a.getByLabel('Given names').fill('Odalys');
	await a.getByLabel('Family name').fill('Quenbright');
	await a.getByRole('button', { name: 'Save patient' }).click();
	await a.getByRole('link', { name: 'Add condition' }).click();
	await a.getByLabel('Condition').fill(CONDITION);
	await a.getByLabel('Severity').selectOption('mild');
	await a.getByLabel('Note').fill('First seen in clinic');
	await a.getByRole('button', { name: 'Save' }).click();
	await synced(a);

	const b = await signInSecondDevice(contextB, email);
	// The first sync's progress bar has come and gone.
	await expect(b.getByTestId('sync-progress')).toHaveCount(0);
	await openCondition(b);
	await expect(b.getByLabel('Note')).toHaveValue('First seen in clinic');

	// A, offline: fields 1 and 2. The change waits on the Offline changes page.
	await contextA.setOffline(true);
	await openCondition(a);
	await a.getByLabel('Severity').selectOption('moderate');
	await a.getByLabel('Note').fill(NOTE_A);
	await a.getByRole('button', { name: 'Save changes' }).click();
	await expect(a.getByTestId('sync-status')).toHaveText('Saved on this device (1)');
	await a.getByTestId('sync-status').getByRole('link').click();
	await expect(a.getByRole('heading', { name: 'Offline changes' })).toBeVisible();
	const pending = a.getByTestId('pending-changes');
	await expect(pending.getByRole('listitem')).toHaveCount(1);
	await expect(pending.getByRole('listitem')).toContainText(`Condition: ${CONDITION}`);
	await expect(pending.getByRole('listitem')).toContainText(PATIENT);
	await expect(a.getByText('This device is offline now')).toBeVisible();
	await expect(a.getByTestId('conflicted-records')).toContainText('No conflicts.');
	await shoot(a, 'changes-offline');

	// B, online: fields 2 and 3.
	await b.getByLabel('Note').fill(NOTE_B);
	await b.getByLabel('Onset').fill('2019-04-01');
	await b.getByRole('button', { name: 'Save changes' }).click();
	await expect(b.getByRole('heading', { name: PATIENT })).toBeVisible();
	await synced(b);

	// A reconnects: its change goes out, B's comes in, and the note is a conflict on both.
	await contextA.setOffline(false);
	await expect(a.getByTestId('sync-conflicts')).toHaveText('1 conflict', { timeout: 20_000 });
	await expect(pending).toContainText('Nothing waiting');
	const listed = a.getByTestId('conflicted-records');
	await expect(listed.getByRole('link', { name: `Condition: ${CONDITION}` })).toBeVisible();
	await expect(b.getByTestId('sync-conflicts')).toHaveText('1 conflict', { timeout: 20_000 });

	await listed.getByRole('link', { name: `Condition: ${CONDITION}` }).click();
	await expect(a.getByRole('heading', { name: 'Edit condition' })).toBeVisible();
	await expect(a.getByLabel('Severity')).toHaveValue('moderate');
	await expect(a.getByLabel('Onset')).toHaveValue('2019-04-01');
	const conflictA = a.getByTestId('conflict');
	await expect(conflictA).toHaveCount(1);
	await expect(conflictA.getByRole('heading')).toHaveText('Note');
	// B wrote later, so its note is the one shown; A's own is kept beside it.
	await expect(a.getByLabel('Note')).toHaveValue(NOTE_B);
	const mineOnA = conflictA.getByRole('listitem').filter({ hasText: 'This device' });
	const theirsOnA = conflictA.getByRole('listitem').filter({ hasText: 'Another device' });
	await expect(mineOnA).toContainText(NOTE_A);
	await expect(theirsOnA).toContainText(NOTE_B);
	await expect(theirsOnA).toContainText('Shown now');
	await expect(theirsOnA.getByRole('button')).toHaveText('Keep the other device’s');

	// B's timeline marks the record.
	await expect(b.getByTestId('record-conflict')).toHaveText(/Changed on two devices/);
	await shoot(b, 'patient-marked');
	await b.getByRole('link', { name: `Edit ${CONDITION}` }).click();
	await expect(b.getByLabel('Severity')).toHaveValue('moderate');
	await expect(b.getByLabel('Onset')).toHaveValue('2019-04-01');
	await expect(b.getByLabel('Note')).toHaveValue(NOTE_B);
	const mineOnB = b
		.getByTestId('conflict')
		.getByRole('listitem')
		.filter({ hasText: 'This device' });
	await expect(mineOnB).toContainText(NOTE_B);

	await shoot(a, 'conflict');

	// The count survives a reload (conflict marks are stored beside the records).
	await unlockAfterReload(b);
	await expect(b.getByTestId('sync-conflicts')).toHaveText('1 conflict');

	// Resolve on A: keep this device's note. It clears here at once and on B after sync.
	await mineOnA.getByRole('button', { name: 'Keep this device’s' }).click();
	await expect(a.getByTestId('conflicts')).toHaveCount(0);
	await expect(a.getByLabel('Note')).toHaveValue(NOTE_A);
	await expect(a.getByTestId('sync-conflicts')).toHaveCount(0);
	await synced(a);
	await expect(b.getByTestId('sync-conflicts')).toHaveCount(0, { timeout: 20_000 });
	await openCondition(b);
	await expect(b.getByLabel('Note')).toHaveValue(NOTE_A);
	await expect(b.getByLabel('Severity')).toHaveValue('moderate');
	await expect(b.getByLabel('Onset')).toHaveValue('2019-04-01');
	await expect(b.getByTestId('conflicts')).toHaveCount(0);

	for (const page of [a, b]) {
		await unlockAfterReload(page);
		await synced(page);
		await expect(page.getByTestId('sync-conflicts')).toHaveCount(0);
	}

	await contextA.close();
	await contextB.close();
});

test('a change the server refused is explained in plain words and Retry sends it again', async ({
	page,
	context
}) => {
	test.setTimeout(120_000);
	await createAccount(page);
	await page.getByRole('link', { name: 'New patient' }).click();
	await page.getByLabel('Given names').fill('Odalys');
	await page.getByLabel('Family name').fill('Quenbright');
	await page.getByRole('button', { name: 'Save patient' }).click();
	await page.getByRole('link', { name: 'Add condition' }).click();
	await page.getByLabel('Condition').fill(CONDITION);
	await page.getByRole('button', { name: 'Save' }).click();
	await expect.poll(() => outboxRows(page), { timeout: 20_000 }).toBe(0);
	await synced(page);

	// Offline, so the edit stays queued; then mark it refused as a push would have ("code:
	// message" in lastError). A real refusal needs a second member, which the sharing tests make.
	await context.setOffline(true);
	await page.getByRole('link', { name: `Edit ${CONDITION}` }).click();
	await page.getByLabel('Note').fill('Refused once');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByTestId('sync-status')).toHaveText('Saved on this device (1)');
	await page.evaluate(async () => {
		const name = (await indexedDB.databases()).find((d) =>
			d.name?.startsWith('charta-user-')
		)!.name!;
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const request = indexedDB.open(name);
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		const store = db.transaction('outbox', 'readwrite').objectStore('outbox');
		const rows = await new Promise<Record<string, unknown>[]>((resolve) => {
			const request = store.getAll();
			request.onsuccess = () => resolve(request.result);
		});
		for (const row of rows) {
			store.put({ ...row, attempts: 1, lastError: 'read_only: viewers cannot write' });
		}
		await new Promise((resolve) => (store.transaction.oncomplete = resolve));
		db.close();
	});
	await context.setOffline(false);
	await expect(page.getByTestId('sync-status')).toHaveText(/^Sync failed/, { timeout: 20_000 });

	await page.getByTestId('sync-status').getByRole('link').click();
	const refused = page.getByTestId('refused-changes');
	await expect(refused.getByRole('listitem')).toContainText(`Condition: ${CONDITION}`);
	await expect(refused.getByRole('listitem')).toContainText(
		'You can view this patient’s record but not change it'
	);
	await expect(refused.getByRole('listitem')).toContainText('tried 1 time');
	await expect(refused).not.toContainText('read_only');
	await expect(page.getByTestId('pending-changes')).toContainText('Nothing else waiting.');

	await refused.getByRole('button', { name: 'Retry' }).click();
	await expect(refused).toHaveCount(0, { timeout: 20_000 });
	await expect(page.getByTestId('pending-changes')).toContainText('Nothing waiting');
	await synced(page);
});
