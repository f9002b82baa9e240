import { createAccount, PASSWORD } from './account.ts';
import { expect, test } from './fixtures.ts';

test('Settings: the storage outcome is shown, Lock now locks, and removing the device data leaves nothing behind', async ({
	page
}) => {
	test.setTimeout(90_000);
	await createAccount(page);
	await page.getByRole('link', { name: 'Settings' }).click();
	await expect(page.getByTestId('persistence')).toHaveText(
		/Protected|Not protected|cannot protect/
	);

	await page.getByLabel('Lock automatically after').selectOption('5');
	await page.getByRole('button', { name: 'Lock now' }).click();
	await expect(page.getByRole('heading', { name: 'Charta is locked' })).toBeVisible();
	await page.getByLabel('Master password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Unlock' }).click();
	await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible();

	await page.getByRole('link', { name: 'Settings' }).click();
	await expect(page.getByLabel('Lock automatically after')).toHaveValue('5');
	await page.getByRole('button', { name: "Remove this device's data" }).click();
	const dialog = page.getByRole('alertdialog', {
		name: 'Remove all Charta data from this device?'
	});
	await expect(dialog).toBeVisible();
	await dialog.getByRole('button', { name: 'Cancel' }).click();
	await expect(dialog).toBeHidden();
	const before = await page.evaluate(async () =>
		(await indexedDB.databases()).map((db) => db.name).filter((name) => name?.startsWith('charta'))
	);
	expect(before.length).toBeGreaterThanOrEqual(2);

	await page.getByRole('button', { name: "Remove this device's data" }).click();
	await dialog.getByRole('button', { name: 'Remove data' }).click();
	await expect(page.getByRole('link', { name: 'Create an account' })).toBeVisible();
	await expect
		.poll(() =>
			page.evaluate(async () =>
				(await indexedDB.databases())
					.map((db) => db.name)
					.filter((name) => name?.startsWith('charta'))
			)
		)
		.toEqual([]);

	// Nothing is left to unlock: record pages send the person to sign in.
	await page.goto('/profiles');
	await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('signing in again on a device that signed out opens the same account', async ({ page }) => {
	test.setTimeout(90_000);
	const { email } = await createAccount(page);
	await page.getByRole('link', { name: 'Settings' }).click();
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Master password').fill('wrong password entirely');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.', {
		timeout: 20_000
	});
	await page.getByLabel('Master password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible({ timeout: 20_000 });
});
