import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { textPdf } from '../helpers/text-pdf.ts';
import { createAccount, PASSWORD } from './account.ts';
import { expect, test, waitForServiceWorker } from './fixtures.ts';
import { screenshotsInto } from './screenshots.ts';
import { synced } from './sync-status.ts';

// Issue 5, review: a report added offline (kept queued across an offline reload) is drained by
// the service worker once online; its extracted values are checked against their source, one corrected,
// one rejected, and the rest accepted as lab results linked to the report; they reach the same
// account's second device through sync. With REVIEW_SCREENSHOTS=<folder>, screenshots at phone
// and tablet widths.

const REPORT = readFileSync(
	new URL('../fixtures/lab-reports/key-value-lipids.txt', import.meta.url),
	'utf8'
);
const HBA1C = 'Hemoglobin A1c/Hemoglobin.total in Blood by IFCC protocol';
const CHOLESTEROL = 'Cholesterol [Moles/volume] in Serum or Plasma';
const TRIGLYCERIDE = 'Triglyceride [Moles/volume] in Serum or Plasma';
const RATIO = 'Cholesterol.total/Cholesterol in HDL [Mass Ratio] in Serum or Plasma';

const shoot = screenshotsInto(process.env.REVIEW_SCREENSHOTS);

// The lab results table's rows as "date · test · result · range · flag".
async function labRows(page: Page) {
	const rows = page.getByRole('table').locator('tbody tr');
	return (await rows.allInnerTexts()).map((text) =>
		text
			.split('\t')
			.map((cell) => cell.trim())
			.join(' · ')
	);
}

test('a report’s values are reviewed, corrected, rejected and accepted, and sync to another device', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(180_000);
	const tabletContext = await browser.newContext({ baseURL });
	const tablet = await tabletContext.newPage();
	const { email } = await createAccount(tablet);
	await tablet.getByRole('link', { name: 'New patient' }).click();
	await tablet.getByLabel('Given names').fill('Priya');
	await tablet.getByLabel('Family name').fill('Raman');
	await tablet.getByRole('button', { name: 'Save patient' }).click();
	await expect(tablet.getByRole('heading', { name: 'Priya Raman' })).toBeVisible();
	await synced(tablet);

	// The same account on a second device, looking at the patient while the report is reviewed.
	const phoneContext = await browser.newContext({ baseURL });
	const phone = await phoneContext.newPage();
	await phone.goto('/signin');
	await phone.getByLabel('Email').fill(email);
	await phone.getByLabel('Master password').fill(PASSWORD);
	await phone.getByRole('button', { name: 'Sign in' }).click();
	await phone.getByRole('link', { name: /Priya Raman/ }).click({ timeout: 30_000 });
	await expect(phone.getByText('No lab results yet.')).toBeVisible();

	// The report is added with no network and survives a reload offline, still queued.
	await waitForServiceWorker(tablet);
	await tabletContext.setOffline(true);
	await tablet.getByRole('link', { name: 'Add a report' }).click();
	await tablet.getByTestId('report-file').setInputFiles({
		name: 'lipid results.pdf',
		mimeType: 'application/pdf',
		buffer: Buffer.from(await textPdf({ pages: [REPORT] }))
	});
	const item = tablet.getByTestId('import');
	const queued = 'Queued — runs when Charta is back online';
	await expect(item.getByRole('status')).toHaveText(queued);
	await tablet.reload();
	await expect(tablet.getByRole('heading', { name: 'Charta is locked' })).toBeVisible();
	await tablet.getByLabel('Master password').fill(PASSWORD);
	await tablet.getByRole('button', { name: 'Unlock' }).click();
	await tablet.getByRole('link', { name: /Priya Raman/ }).click({ timeout: 20_000 });
	await tablet.getByRole('link', { name: 'Add a report' }).click();
	await expect(item.getByRole('status')).toHaveText(queued);

	// Back online, the service worker drains it through the real server to "Ready for review".
	await tabletContext.setOffline(false);
	await expect(item.getByRole('status')).toHaveText('Ready for review', { timeout: 30_000 });
	await item.getByRole('link', { name: 'Review' }).click();

	await expect(tablet.getByRole('heading', { name: 'Review lab results' })).toBeVisible();
	const rows = tablet.getByTestId('review-row');
	await expect(rows).toHaveCount(8);
	// The report names this patient: no warning.
	await expect(tablet.getByTestId('patient-mismatch')).toHaveCount(0);
	await expect(tablet.getByLabel('Date of the results')).toHaveValue('2024-06-03');

	// Each value with its code, the label as printed, the flag in words and its source.
	const cholesterol = rows.filter({ hasText: 'LOINC 14647-2' });
	await expect(cholesterol.getByRole('heading')).toHaveText(CHOLESTEROL);
	await expect(cholesterol).toContainText('printed as “Total Cholesterol”');
	await expect(cholesterol.getByTestId('flag')).toHaveText('H · High');
	await expect(cholesterol.getByTestId('confidence')).toHaveText(/Confidence \d+ %/);
	await expect(cholesterol.locator('blockquote')).toContainText('6.4 mmol/L');
	await expect(cholesterol.getByText('Page 1 of the report')).toBeVisible();
	await expect(cholesterol.getByLabel('Result')).toHaveValue('6.4');
	await expect(cholesterol.getByLabel('Unit')).toHaveValue('mmol/L');
	await expect(cholesterol.getByLabel('Range to')).toHaveValue('5');

	// A unit UCUM does not know is refused beside the field, and accepting then saves nothing.
	const triglyceride = rows.filter({ hasText: 'LOINC 14927-8' });
	await triglyceride.getByLabel('Unit').fill('mmoll');
	await triglyceride.getByLabel('Unit').blur();
	await expect(
		triglyceride.getByText('mmoll is not a unit we recognise — try mmol/L')
	).toBeVisible();
	await expect(triglyceride.getByLabel('Unit')).toHaveAttribute('aria-invalid', 'true');
	await tablet.getByRole('button', { name: 'Accept 8 results' }).click();
	await expect(tablet.getByText(/^Nothing was saved/)).toBeVisible();
	await expect(tablet.getByRole('heading', { name: 'Review lab results' })).toBeVisible();
	await triglyceride.getByLabel('Unit').fill('mmol/L');
	await triglyceride.getByLabel('Unit').blur();
	await expect(triglyceride.getByLabel('Unit')).not.toHaveAttribute('aria-invalid');

	// The HbA1c was misread: corrected, and flagged high.
	const hba1c = rows.filter({ hasText: 'LOINC 59261-8' });
	await hba1c.getByLabel('Result').fill('44');
	await hba1c.getByLabel('Flag').selectOption('H');
	await expect(hba1c.getByTestId('flag')).toHaveText('H · High');

	// The ratio is not wanted.
	const ratio = rows.filter({ hasText: 'LOINC 9830-1' });
	await ratio.getByRole('button', { name: `Reject ${RATIO}` }).click();
	await expect(ratio).toContainText('Rejected: this value will not be saved.');
	await shoot(tablet, 'review');

	await tablet.getByRole('button', { name: 'Accept 7 results' }).click();

	// On the patient's page, the lab results table holds the seven, with their flags.
	await expect(tablet.getByRole('heading', { name: 'Priya Raman' })).toBeVisible();
	await expect(tablet.getByRole('table').locator('tbody tr')).toHaveCount(7);
	const accepted = await labRows(tablet);
	expect(accepted).toContain(`2024-06-03 · ${HBA1C} · 44 mmol/mol · 20–41 · High`);
	expect(accepted).toContain(`2024-06-03 · ${CHOLESTEROL} · 6.4 mmol/L · ≤ 5 · High`);
	expect(accepted).toContain(`2024-06-03 · ${TRIGLYCERIDE} · 2.1 mmol/L · ≤ 1.7 · High`);
	expect(accepted.filter((row) => row.includes(RATIO))).toEqual([]);

	// The report's record lists what was read from it; each value leads back to the report.
	await tablet.getByRole('link', { name: 'Edit lipid results' }).click();
	const derived = tablet.getByTestId('derived-observations');
	await expect(derived.getByRole('listitem')).toHaveCount(7);
	await expect(derived.getByRole('listitem').filter({ hasText: HBA1C })).toContainText(
		'44 mmol/mol · High'
	);
	await derived.getByRole('link', { name: HBA1C }).click();
	await expect(tablet.getByTestId('derived-from')).toHaveText('From: lipid results');
	await expect(tablet.getByTestId('derived-observations')).toHaveCount(0);
	await shoot(tablet, 'observation');
	await tablet.getByTestId('derived-from').getByRole('link').click();
	await expect(tablet.getByTestId('derived-observations')).toBeVisible();

	// The import is done: its list entry says so and no longer offers a review.
	await tablet.getByRole('button', { name: 'Cancel' }).click();
	await tablet.getByRole('link', { name: 'Add a report' }).click();
	await expect(item.getByRole('status')).toHaveText('Accepted');
	await expect(item.getByRole('link', { name: 'Review' })).toHaveCount(0);

	// The second device receives the accepted values through sync.
	await expect(phone.getByRole('table').locator('tbody tr')).toHaveCount(7, { timeout: 30_000 });
	const received = await labRows(phone);
	expect(received.sort()).toEqual(accepted.sort());

	await tabletContext.close();
	await phoneContext.close();
});

test('a report naming someone else is flagged before accepting, and a letter without values is kept as a document', async ({
	page
}) => {
	test.setTimeout(120_000);
	await createAccount(page);
	await page.getByRole('link', { name: 'New patient' }).click();
	await page.getByLabel('Given names').fill('Priya');
	await page.getByLabel('Family name').fill('Raman');
	await page.getByRole('button', { name: 'Save patient' }).click();
	await expect(page.getByRole('heading', { name: 'Priya Raman' })).toBeVisible();
	await synced(page);
	await page.getByRole('link', { name: 'Add a report' }).click();
	const file = page.getByTestId('report-file');
	const items = page.getByTestId('import');

	// Another patient's report, added here by mistake: the warning comes first, and accepting
	// waits until the person confirms the report is this patient's.
	const otherReport = readFileSync(
		new URL('../fixtures/lab-reports/diabetes-renal.txt', import.meta.url),
		'utf8'
	);
	await file.setInputFiles({
		name: 'diabetes review.pdf',
		mimeType: 'application/pdf',
		buffer: Buffer.from(await textPdf({ pages: [otherReport] }))
	});
	await expect(items.getByRole('status')).toHaveText('Ready for review', { timeout: 30_000 });
	await items.getByRole('link', { name: 'Review' }).click();
	const warning = page.getByTestId('patient-mismatch');
	await expect(warning).toContainText(
		'This report names WILLIAMS, Gareth, but you are adding it to Priya Raman.'
	);
	const accept = page.getByRole('button', { name: /^Accept \d+ results$/ });
	await expect(accept).toBeDisabled();
	await warning.getByLabel('This report is for Priya Raman').check();
	await expect(accept).toBeEnabled();
	await page.goBack();

	// A letter with no lab values: nothing to review, the document can be kept on its own.
	const letter =
		'Riverside Medical Practice\nDate: 3 June 2024\n\nDear colleague,\nThank you for seeing this patient, who is well.\n';
	await file.setInputFiles({
		name: 'referral letter.pdf',
		mimeType: 'application/pdf',
		buffer: Buffer.from(await textPdf({ pages: [letter] }))
	});
	const letterItem = items.filter({ hasText: 'referral letter' });
	await expect(letterItem.getByRole('status')).toHaveText('Ready for review', { timeout: 30_000 });
	await letterItem.getByRole('link', { name: 'Review' }).click();
	await expect(page.getByTestId('no-results')).toHaveText(
		'No lab values were found in this document. You can keep the document on its own.'
	);
	await page.getByRole('button', { name: 'Keep the document only' }).click();
	await expect(page.getByRole('heading', { name: 'Priya Raman' })).toBeVisible();
	await expect(page.getByText('No lab results yet.')).toBeVisible();
	await expect(page.getByRole('link', { name: 'Edit referral letter' })).toBeVisible();
	await page.getByRole('link', { name: 'Add a report' }).click();
	await expect(letterItem.getByRole('status')).toHaveText('Accepted');
});
