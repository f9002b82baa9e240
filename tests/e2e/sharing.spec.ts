import type { Page } from '@playwright/test';
import { createAccount, PASSWORD } from './account.ts';
import { expect, test } from './fixtures.ts';
import { screenshotsInto } from './screenshots.ts';
import { synced } from './sync-status.ts';

// Issue 4, sharing: an owner shares a patient with a viewer, who sees it and its record with no
// control to change anything; the owner then removes the viewer, whose device stops listing it.
// With SHARING_SCREENSHOTS=<folder>, screenshots at phone and tablet widths.

const PATIENT = 'Vivienne Sharedsworth';
const CONDITION = 'Migraine with aura';

// A page of the app opened from a link inside it (unlocking always lands on Patients, so an
// address typed after a reload would not reach it): kit's router follows any same-origin link.
async function followLink(page: Page, path: string) {
	await page.evaluate((href) => {
		const link = Object.assign(document.createElement('a'), { href, textContent: href });
		document.body.append(link);
		link.click();
		link.remove();
	}, path);
}

async function unlockAfterReload(page: Page) {
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Charta is locked' })).toBeVisible();
	await page.getByLabel('Master password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Unlock' }).click();
	await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible({ timeout: 20_000 });
}

const shoot = screenshotsInto(process.env.SHARING_SCREENSHOTS);

test('an owner shares a patient with a viewer, who sees it read-only, then removes them', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(180_000);
	const stamp = Date.now();
	const ownerContext = await browser.newContext({ baseURL });
	const viewerContext = await browser.newContext({ baseURL });
	const owner = await ownerContext.newPage();
	const viewer = await viewerContext.newPage();
	const ownerEmail = `owner-${stamp}@example.org`;
	const viewerEmail = `viewer-${stamp}@example.org`;

	await createAccount(owner, ownerEmail);
	await owner.getByRole('link', { name: 'New patient' }).click();
	await owner.getByLabel('Given names').fill('Vivienne');
	await owner.getByLabel('Family name').fill('Sharedsworth');
	await owner.getByRole('button', { name: 'Save patient' }).click();
	await owner.getByRole('link', { name: 'Add condition' }).click();
	await owner.getByLabel('Condition').fill(CONDITION);
	await owner.getByRole('button', { name: 'Save' }).click();
	await expect(owner.getByText(CONDITION)).toBeVisible();
	await synced(owner);
	const patientPath = new URL(owner.url()).pathname;

	await createAccount(viewer, viewerEmail);
	await expect(viewer.getByText('No patients yet')).toBeVisible();

	// The owner shares it; an unknown email is answered beside the field.
	await owner.getByRole('link', { name: 'Members' }).click();
	await expect(owner.getByRole('heading', { name: 'Members' })).toBeVisible();
	await expect(owner.getByTestId('member')).toHaveText([new RegExp(`${ownerEmail} \\(you\\)`)]);
	const emailField = owner.getByLabel('Email of their Charta account');
	await emailField.fill(`nobody-${stamp}@example.org`);
	await owner.getByRole('button', { name: 'Share' }).click();
	await expect(owner.getByText('No Charta account uses this email.')).toBeVisible();
	await expect(emailField).toHaveAttribute('aria-invalid', 'true');
	await emailField.fill(viewerEmail);
	await owner.getByLabel('View records', { exact: true }).check();
	await owner.getByRole('button', { name: 'Share' }).click();
	await expect(owner.getByRole('main').getByRole('status')).toContainText(
		`Shared with ${viewerEmail}`
	);
	await expect(owner.getByTestId('member')).toHaveText([
		new RegExp(ownerEmail),
		new RegExp(`${viewerEmail}\\s+Can view · Active since`)
	]);
	await shoot(owner, 'members-owner');
	// Beside each member, the safety code of the key the server gave for them.
	const viewerCode = owner
		.getByTestId('member')
		.filter({ hasText: viewerEmail })
		.getByTestId('safety-code');
	await expect(viewerCode).toHaveText(/^Safety code \d{5}( \d{5}){5}$/);
	const codeOnOwnerPage = (await viewerCode.textContent())!.replace('Safety code ', '');

	// The server nudges the viewer's open app, which syncs the patient in.
	await viewer.getByRole('link', { name: new RegExp(PATIENT) }).click({ timeout: 30_000 });
	await expect(viewer.getByText(CONDITION)).toBeVisible();
	await expect(viewer.getByTestId('read-only')).toHaveText(
		'You can view this patient’s records but not change them.'
	);
	for (const control of [/^Add /, /^Edit/, /^Delete/]) {
		await expect(viewer.getByRole('link', { name: control })).toHaveCount(0);
		await expect(viewer.getByRole('button', { name: control })).toHaveCount(0);
	}
	await shoot(viewer, 'patient-viewer');
	// The edit pages say why there is no form, also when a link leads there.
	for (const path of [`${patientPath}/records/new/condition`, `${patientPath}/edit`]) {
		await followLink(viewer, path);
		await expect(viewer.getByRole('main').getByRole('status')).toHaveText(
			'You can view this patient’s records but not change them.'
		);
		await expect(viewer.getByRole('button', { name: /^Save/ })).toHaveCount(0);
	}
	await shoot(viewer, 'new-record-viewer');
	await viewer.getByRole('link', { name: 'Back to the patient' }).click();
	// A record opens read-only: what it says, and no form.
	await viewer.getByRole('link', { name: `View ${CONDITION}` }).click();
	await expect(viewer.getByRole('heading', { name: 'Condition' })).toBeVisible();
	await expect(viewer.getByTestId('record-fields')).toContainText(
		new RegExp(`Condition\\s*${CONDITION}\\s*Status\\s*Active`)
	);
	await expect(viewer.getByRole('textbox')).toHaveCount(0);
	await expect(viewer.getByRole('button', { name: /^Save/ })).toHaveCount(0);
	await viewer.getByRole('link', { name: 'Back to the patient' }).click();
	await viewer.getByRole('link', { name: 'Members' }).click();
	await expect(viewer.getByText('Only the owner can add or remove members.')).toBeVisible();
	await expect(viewer.getByRole('button', { name: /Remove/ })).toHaveCount(0);
	await viewer.getByRole('link', { name: 'Back to the patient' }).click();
	await expect(viewer.getByText(CONDITION)).toBeVisible();
	// The viewer's own Settings show the same code: reading it out proves the key is theirs.
	await viewer.getByRole('link', { name: 'Settings' }).click();
	await expect(viewer.getByTestId('own-safety-code')).toHaveText(codeOnOwnerPage);
	await viewer.goBack();
	await expect(viewer.getByText(CONDITION)).toBeVisible();

	// The owner removes the viewer, after a confirmation that says what it means.
	await owner.getByRole('button', { name: `Remove ${viewerEmail}` }).click();
	await expect(
		owner.getByText(
			`${viewerEmail} will no longer receive changes to this patient. Records already on their devices stay there.`
		)
	).toBeVisible();
	await shoot(owner, 'members-confirm');
	await owner.getByRole('button', { name: 'Remove access' }).click();
	await expect(owner.getByRole('main').getByRole('status')).toContainText(`Removed ${viewerEmail}`);
	await expect(owner.getByTestId('member')).toHaveText([
		new RegExp(ownerEmail),
		new RegExp(`${viewerEmail}\\s+Can view · Removed \\d{4}-\\d{2}-\\d{2}`)
	]);
	await expect(owner.getByRole('button', { name: `Remove ${viewerEmail}` })).toHaveCount(0);

	// The viewer's next sync learns it: the patient leaves the list, its page says why.
	await unlockAfterReload(viewer);
	await synced(viewer);
	await expect(viewer.getByText('No patients yet')).toBeVisible();
	await followLink(viewer, patientPath);
	await expect(viewer.getByText('You no longer have access to this patient.')).toBeVisible();
	await shoot(viewer, 'patient-removed');

	await ownerContext.close();
	await viewerContext.close();
});

test('the members page says sharing needs a connection when offline', async ({ page, context }) => {
	test.setTimeout(90_000);
	await createAccount(page);
	await page.getByRole('link', { name: 'New patient' }).click();
	await page.getByLabel('Given names').fill('Offlinia');
	await page.getByRole('button', { name: 'Save patient' }).click();
	await synced(page);
	await context.setOffline(true);
	await page.getByRole('link', { name: 'Members' }).click();
	await expect(page.getByTestId('sharing-offline')).toContainText('Sharing needs a connection');
	await context.setOffline(false);
	await expect(page.getByTestId('member')).toHaveCount(1, { timeout: 20_000 });
});
