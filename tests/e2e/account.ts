import type { Page } from '@playwright/test';
import { expect, waitForServiceWorker } from './fixtures.ts';

export const PASSWORD = 'violet harbour lantern 42';

/** Creates an account through the pages, confirms the recovery key, and lands on Patients. */
export async function createAccount(page: Page, email = `person-${Date.now()}@example.org`) {
	await page.goto('/');
	await waitForServiceWorker(page);
	await page.getByRole('link', { name: 'Create an account' }).click();
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Master password', { exact: true }).fill(PASSWORD);
	await page.getByLabel('Master password again').fill(PASSWORD);
	await page.getByRole('button', { name: 'Create account' }).click();
	const recoveryKey = page.getByTestId('recovery-key');
	await expect(recoveryKey).toHaveText(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){6}$/, { timeout: 30_000 });
	const key = await recoveryKey.innerText();
	const continueButton = page.getByRole('button', { name: 'Continue' });
	await expect(continueButton).toBeDisabled();
	await page.getByLabel('I have saved my recovery key somewhere safe').check();
	await continueButton.click();
	await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible();
	return { email, recoveryKey: key };
}
