import { createAccount, PASSWORD } from './account.ts';
import { expect, test } from './fixtures.ts';
import { synced } from './sync-status.ts';

test('a second device signs in and sees the patient and records the first one synced', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(120_000);
	const first = await browser.newContext({ baseURL });
	const tablet = await first.newPage();
	const { email } = await createAccount(tablet);
	await tablet.getByRole('link', { name: 'New patient' }).click();
	await tablet.getByLabel('Given names').fill('Imelda');
	await tablet.getByLabel('Family name').fill('Synchrona');
	await tablet.getByRole('button', { name: 'Save patient' }).click();
	await tablet.getByRole('link', { name: 'Add condition' }).click();
	await tablet.getByLabel('Condition').fill('Asthma, mild intermittent');
	await tablet.getByRole('button', { name: 'Save' }).click();
	await synced(tablet);

	const second = await browser.newContext({ baseURL });
	const phone = await second.newPage();
	await phone.goto('/signin');
	await phone.getByLabel('Email').fill(email);
	await phone.getByLabel('Master password').fill(PASSWORD);
	await phone.getByRole('button', { name: 'Sign in' }).click();
	await expect(phone.getByRole('heading', { name: 'Patients' })).toBeVisible({ timeout: 20_000 });
	await synced(phone);
	await phone.getByRole('link', { name: /Imelda Synchrona/ }).click();
	await expect(phone.getByText('Asthma, mild intermittent')).toBeVisible();

	await first.close();
	await second.close();
});
