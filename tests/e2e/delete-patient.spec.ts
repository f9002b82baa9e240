import { createAccount } from './account.ts';
import { expect, test } from './fixtures.ts';

test('the owner deletes a patient after confirming, the list no longer shows them, and Undo brings them back with their records', async ({
	page
}) => {
	test.setTimeout(90_000);
	await createAccount(page, `deleter-${Date.now()}@example.org`);
	for (const family of ['Keepsake', 'Leaving']) {
		await page.getByRole('link', { name: 'Patients' }).click();
		await page.getByRole('link', { name: 'New patient' }).click();
		await page.getByLabel('Given names').fill('Ivo');
		await page.getByLabel('Family name').fill(family);
		await page.getByRole('button', { name: 'Save patient' }).click();
		await expect(page.getByRole('heading', { name: `Ivo ${family}` })).toBeVisible();
	}
	await page.getByRole('link', { name: 'Add condition' }).click();
	await page.getByLabel('Condition').fill('Plantar fasciitis');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByText('Plantar fasciitis')).toBeVisible();

	await page.getByRole('link', { name: 'Edit details' }).click();
	await page.getByRole('button', { name: 'Delete patient…' }).click();
	await expect(page.getByText('You can undo this on the next screen.')).toBeVisible();
	await page.getByRole('button', { name: 'Delete patient', exact: true }).click();

	await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible();
	await expect(page.getByRole('status').filter({ hasText: 'Patient deleted.' })).toBeVisible();
	await expect(page.getByRole('link', { name: /Ivo Keepsake/ })).toBeVisible();
	await expect(page.getByRole('link', { name: /Ivo Leaving/ })).toHaveCount(0);
	expect(page.url()).not.toContain('deleted');

	await page.getByRole('button', { name: 'Undo' }).click();
	await expect(page.getByRole('heading', { name: 'Ivo Leaving' })).toBeVisible();
	await expect(page.getByText('Plantar fasciitis')).toBeVisible();
	await page.getByRole('link', { name: 'Patients' }).click();
	await expect(page.getByRole('link', { name: /Ivo Leaving/ })).toBeVisible();
});
