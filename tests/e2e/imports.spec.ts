import { readFileSync } from 'node:fs';
import type { BrowserContext, Page, Route } from '@playwright/test';
import { textPdf } from '../helpers/text-pdf.ts';
import { createAccount, PASSWORD } from './account.ts';
import { expect, test } from './fixtures.ts';
import { dumpIndexedDb } from './indexeddb.ts';
import { synced } from './sync-status.ts';

// The import queue in the real built app: the page seals and queues a report (offline too), the
// service worker drains it when online and unlocked, and the list shows each state live.

const REPORT = readFileSync(
	new URL('../fixtures/lab-reports/diabetes-renal.txt', import.meta.url),
	'utf8'
);
// What must never be stored readable: the patient's name and the report's values.
const SECRETS = ['Gareth', 'WILLIAMS', 'Williams', 'HbA1c', 'Creatinine', 'mmol/mol', '8.9 mmol/L'];

async function reportPdf() {
	return Buffer.from(await textPdf({ pages: [REPORT] }));
}

async function newPatient(page: Page) {
	await page.getByRole('link', { name: 'New patient' }).click();
	await page.getByLabel('Given names').fill('Gareth');
	await page.getByLabel('Family name').fill('Williams');
	await page.getByRole('button', { name: 'Save patient' }).click();
	await expect(page.getByRole('heading', { name: 'Gareth Williams' })).toBeVisible();
	// The attachment is uploaded under the profile: the server must know it first.
	await synced(page);
}

async function openImports(page: Page) {
	await page.getByRole('link', { name: 'Add a report' }).click();
	await expect(page.getByRole('heading', { name: 'Imports' })).toBeVisible();
}

async function unlock(page: Page) {
	await expect(page.getByRole('heading', { name: 'Charta is locked' })).toBeVisible();
	await page.getByLabel('Master password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Unlock' }).click();
	await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible({ timeout: 20_000 });
	await page.getByRole('link', { name: /Gareth Williams/ }).click();
	await openImports(page);
}

/**
 * At phone and tablet widths the list fits the screen (no sideways scrolling); with
 * IMPORTS_SCREENSHOTS=<folder>, full-page screenshots of each.
 */
async function checkLayouts(page: Page, name: string) {
	for (const width of [390, 820]) {
		await page.setViewportSize({ width, height: 1000 });
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
			width
		);
		const folder = process.env.IMPORTS_SCREENSHOTS;
		if (folder) await page.screenshot({ path: `${folder}/${name}-${width}.png`, fullPage: true });
	}
	await page.setViewportSize({ width: 1280, height: 720 });
}

/** Every text the imports list's status lines showed from now on, in order. */
async function recordStatuses(page: Page) {
	await page.evaluate(() => {
		const seen: string[] = [];
		(window as unknown as { importStatuses: string[] }).importStatuses = seen;
		const note = () => {
			for (const element of document.querySelectorAll('[data-testid="import-status"]')) {
				const text = element.textContent ?? '';
				if (seen.at(-1) !== text) seen.push(text);
			}
		};
		note();
		new MutationObserver(note).observe(document.body, {
			subtree: true,
			childList: true,
			characterData: true
		});
	});
	return () =>
		page.evaluate(() => (window as unknown as { importStatuses: string[] }).importStatuses);
}

/** Holds the service worker's requests to `pattern` until `release` is called. */
async function hold(context: BrowserContext, pattern: string | RegExp) {
	let release = () => {};
	const gate = new Promise<void>((resolve) => (release = resolve));
	let held = 0;
	const handler = async (route: Route) => {
		held++;
		await gate;
		await route.continue();
	};
	await context.route(pattern, handler);
	return { held: () => held, release };
}

/** The user database's rows of one store, read straight from IndexedDB. */
function rowsOf(page: Page, store: string): Promise<Record<string, unknown>[]> {
	return page.evaluate(async (name) => {
		const dbName = (await indexedDB.databases()).find((d) =>
			d.name?.startsWith('charta-user-')
		)!.name!;
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const request = indexedDB.open(dbName);
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		try {
			return await new Promise<Record<string, unknown>[]>((resolve, reject) => {
				const request = db.transaction(name).objectStore(name).getAll();
				request.onsuccess = () => resolve(request.result);
				request.onerror = () => reject(request.error);
			});
		} finally {
			db.close();
		}
	}, store);
}

test('a report added offline stays queued across a reload and is imported once online', async ({
	page,
	context
}) => {
	test.setTimeout(120_000);
	await createAccount(page);
	await newPatient(page);

	await context.setOffline(true);
	await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'offline');
	await openImports(page);
	await page.getByTestId('report-file').setInputFiles({
		name: 'diabetes review.pdf',
		mimeType: 'application/pdf',
		buffer: await reportPdf()
	});
	const item = page.getByTestId('import');
	await expect(item).toHaveCount(1);
	await expect(item.getByRole('status')).toHaveText('Queued — runs when Charta is back online');
	await expect(item.getByText('diabetes review')).toBeVisible();

	// Reloaded offline: locked again, and the import is still there, still queued.
	await page.reload();
	await unlock(page);
	await expect(item.getByRole('status')).toHaveText('Queued — runs when Charta is back online');
	await expect(page.getByTestId('imports-line')).toHaveCount(0);

	// Online again: the worker uploads, starts the job and follows it. The job's start and its
	// event stream are held until the list has shown each state, so every one is seen.
	const statuses = await recordStatuses(page);
	const start = await hold(context, /\/v1\/imports$/);
	const events = await hold(context, /\/v1\/imports\/[0-9a-f-]+\/events$/);
	await context.setOffline(false);
	await expect(item.getByRole('status')).toHaveText('Uploading 100 %', { timeout: 20_000 });
	await expect(item.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
	start.release();
	await expect(item.getByRole('status')).toHaveText('Extracting 0 %');
	events.release();
	await expect(item.getByRole('status')).toHaveText('Ready for review', { timeout: 20_000 });
	await expect(item.getByRole('link', { name: 'Review' })).toBeVisible();
	await checkLayouts(page, 'imports-ready');

	const shown = await statuses();
	console.log(`imports list showed: ${shown.join(' → ')}`);
	expect(shown[0]).toBe('Queued — runs when Charta is back online');
	expect(shown).toContain('Uploading 100 %');
	expect(shown).toContain('Extracting 0 %');
	expect(shown.at(-1)).toBe('Ready for review');
	expect(start.held()).toBe(1);

	// The profile page says so too.
	await page.getByRole('link', { name: /Gareth Williams/ }).click();
	await expect(page.getByTestId('imports-line')).toContainText('1 ready for review');

	const dump = await dumpIndexedDb(page);
	expect(dump).toMatch(/\[charta-user-[0-9a-f-]+\/imports\]/);
	for (const secret of SECRETS)
		expect(dump, `"${secret}" is stored readable`).not.toContain(secret);
	expect(dump).not.toContain('diabetes review');
});

test('bad files fail with the reason, and Retry and Delete work', async ({ page }) => {
	test.setTimeout(120_000);
	await createAccount(page);
	await newPatient(page);
	await openImports(page);
	const items = page.getByTestId('import');
	const file = page.getByTestId('report-file');

	await file.setInputFiles({
		name: 'empty.pdf',
		mimeType: 'application/pdf',
		buffer: Buffer.alloc(0)
	});
	await expect(page.getByRole('alert')).toHaveText(
		'Not added: The file is empty. Choose the document again.'
	);
	await file.setInputFiles({
		name: 'not really.pdf',
		mimeType: 'application/pdf',
		buffer: Buffer.from('This is a letter, not a PDF.')
	});
	await file.setInputFiles({
		name: 'huge.pdf',
		mimeType: 'application/pdf',
		buffer: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(21 * 1024 * 1024)])
	});
	await expect(items).toHaveCount(3);
	await checkLayouts(page, 'imports-failed');
	const statuses = items.getByRole('status');
	await expect(statuses).toHaveText([
		'Failed — The file is over 20 MB. Split the document or add a smaller copy.',
		"Failed — The file's content is not application/pdf, the type it was sent as.",
		'Failed — The file is empty. Choose the document again.'
	]);
	// Nothing of the refused files was kept: no document, no file.
	expect(await rowsOf(page, 'attachments')).toEqual([]);
	expect(await rowsOf(page, 'attachmentChunks')).toEqual([]);

	// Retry on a file that was never kept asks for it again; a good copy is imported (and is
	// listed first: it was added again now).
	const chooser = page.waitForEvent('filechooser');
	await items.nth(1).getByRole('button', { name: 'Retry' }).click();
	await (
		await chooser
	).setFiles({
		name: 'diabetes review.pdf',
		mimeType: 'application/pdf',
		buffer: await reportPdf()
	});
	await expect(items).toHaveCount(3);
	await expect(statuses).toHaveText(
		[
			'Ready for review',
			'Failed — The file is over 20 MB. Split the document or add a smaller copy.',
			'Failed — The file is empty. Choose the document again.'
		],
		{ timeout: 30_000 }
	);
	await expect(items.first().getByText('diabetes review')).toBeVisible();

	// Delete asks first, then takes the import with its document and file.
	for (let left = 3; left > 0; left--) {
		await items
			.first()
			.getByRole('button', { name: /^Delete/ })
			.click();
		await items.first().getByRole('button', { name: 'Delete', exact: true }).click();
		await expect(items).toHaveCount(left - 1);
	}
	await expect(page.getByText('No reports added yet.')).toBeVisible();
	expect(await rowsOf(page, 'imports')).toEqual([]);
	expect(await rowsOf(page, 'attachments')).toEqual([]);
	expect(await rowsOf(page, 'attachmentChunks')).toEqual([]);
	const documents = (await rowsOf(page, 'profileRecords')).filter(
		(row) => row.kind === 'document-reference'
	);
	expect(documents.every((row) => row.deleted === true)).toBe(true);
});

test('a password-protected PDF and a blank scan fail in the worker with the server’s reason', async ({
	page
}) => {
	test.setTimeout(120_000);
	await createAccount(page);
	await newPatient(page);
	await openImports(page);
	const items = page.getByTestId('import');
	const file = page.getByTestId('report-file');
	await file.setInputFiles({
		name: 'locked.pdf',
		mimeType: 'application/pdf',
		buffer: Buffer.from(await textPdf({ pages: [REPORT], userPassword: 'secret' }))
	});
	await expect(items.first().getByRole('status')).toHaveText(/^Failed — .*password/i, {
		timeout: 30_000
	});
	await file.setInputFiles({
		name: 'blank scan.pdf',
		mimeType: 'application/pdf',
		buffer: readFileSync(new URL('../fixtures/lab-reports/blank-scan.pdf', import.meta.url))
	});
	await expect(items.first().getByRole('status')).toHaveText(
		/^Failed — No legible text was found/,
		{ timeout: 60_000 }
	);
	// Both originals were kept (they are the person's documents); no result was.
	expect((await rowsOf(page, 'imports')).every((row) => row.sealedResult === undefined)).toBe(true);

	// Retry runs it again and fails the same way; Delete leaves nothing of it behind.
	await items.nth(1).getByRole('button', { name: 'Retry' }).click();
	await expect(items.nth(1).getByRole('status')).toHaveText(/^Failed — .*password/i, {
		timeout: 30_000
	});
	for (let left = 2; left > 0; left--) {
		await items
			.first()
			.getByRole('button', { name: /^Delete/ })
			.click();
		await items.first().getByRole('button', { name: 'Delete', exact: true }).click();
		await expect(items).toHaveCount(left - 1);
	}
	expect(await rowsOf(page, 'imports')).toEqual([]);
	expect(await rowsOf(page, 'attachmentChunks')).toEqual([]);
});

test('a queued report waits while Charta is locked and is imported after unlocking', async ({
	page,
	context
}) => {
	test.setTimeout(120_000);
	await createAccount(page);
	await newPatient(page);
	await context.setOffline(true);
	await openImports(page);
	await page.getByTestId('report-file').setInputFiles({
		name: 'diabetes review.pdf',
		mimeType: 'application/pdf',
		buffer: await reportPdf()
	});
	const item = page.getByTestId('import');
	await expect(item.getByRole('status')).toHaveText('Queued — runs when Charta is back online');

	await page.getByRole('button', { name: 'Lock' }).click();
	await expect(page.getByRole('heading', { name: 'Charta is locked' })).toBeVisible();
	await context.setOffline(false);
	await expect(page.getByTestId('connection')).toHaveText(/Online/);
	// Online, but the worker was told to forget the keys: the report waits, and the app says so.
	await expect(page.getByTestId('imports-waiting')).toHaveText(
		'A report waits to be imported — unlock Charta to continue.'
	);
	expect((await rowsOf(page, 'imports')).map((row) => row.state)).toEqual(['queued']);

	await page.getByLabel('Master password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Unlock' }).click();
	await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible({ timeout: 20_000 });
	await expect(page.getByTestId('imports-waiting')).toHaveCount(0);
	await page.getByRole('link', { name: /Gareth Williams/ }).click();
	await openImports(page);
	await expect(item.getByRole('status')).toHaveText('Ready for review', { timeout: 30_000 });
});
