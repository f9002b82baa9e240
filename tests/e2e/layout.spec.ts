import type { Page } from '@playwright/test';
import { createAccount } from './account.ts';
import { expect, test } from './fixtures.ts';

/** No sideways scrolling; every control has a name and is at least 44 × 44 px to tap. */
async function expectTouchFriendly(page: Page) {
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - window.innerWidth
	);
	expect(overflow).toBeLessThanOrEqual(0);

	const controls = await page
		.locator('a[href], button, input, select, textarea, [role="button"]')
		.evaluateAll((elements) =>
			elements
				.filter((element) => (element as HTMLElement).offsetParent !== null)
				.map((element) => {
					const control = element as HTMLInputElement;
					// A checkbox is tapped through its label, which is the target to measure.
					const target =
						control.type === 'checkbox' || control.type === 'radio'
							? (control.closest('label') ?? control)
							: control;
					const box = target.getBoundingClientRect();
					const name =
						control.getAttribute('aria-label') ??
						(control.labels?.[0]?.innerText ?? control.innerText).trim();
					return { name, width: box.width, height: box.height };
				})
		);
	expect(controls.length).toBeGreaterThan(0);
	for (const control of controls) {
		expect(control.name, 'every control has an accessible name').not.toBe('');
		expect(control.width, `"${control.name}" is wide enough to tap`).toBeGreaterThanOrEqual(44);
		expect(control.height, `"${control.name}" is tall enough to tap`).toBeGreaterThanOrEqual(44);
	}
}

for (const device of [
	{ name: 'phone', width: 390, height: 844 },
	{ name: 'tablet', width: 820, height: 1180 }
]) {
	test.describe(`on a ${device.name} (${device.width} px)`, () => {
		test.use({ viewport: { width: device.width, height: device.height }, hasTouch: true });

		for (const path of ['/', '/about', '/signup', '/signin', '/unlock', '/recover']) {
			test(`${path} fits the screen, names every control and keeps touch targets ≥ 44 px`, async ({
				page
			}) => {
				await page.goto(path);
				await expect(page.getByTestId('connection')).toHaveText(/Online/);

				await expectTouchFriendly(page);
			});
		}

		test('a patient with records fits the screen and keeps touch targets ≥ 44 px', async ({
			page
		}) => {
			test.setTimeout(90_000);
			await createAccount(page);
			await page.getByRole('link', { name: 'New patient' }).click();
			await page.getByLabel('Given names').fill('Layout');
			await page.getByRole('button', { name: 'Save patient' }).click();
			for (const [date, value] of [
				['2026-01-05', '5.1'],
				['2026-06-05', '6.3']
			] as const) {
				await page.getByRole('link', { name: 'Add lab result or vital sign' }).click();
				await page.getByLabel('Date taken').fill(date);
				await page.getByLabel('Test').fill('Glucose fasting');
				await page.getByLabel('Result').fill(value);
				await page.getByLabel('Unit').fill('mmol/L');
				await page.getByRole('button', { name: 'Save' }).click();
				await expect(page.getByRole('cell', { name: `${value} mmol/L` })).toBeVisible();
			}
			await expect(page.getByRole('img', { name: /Glucose fasting in mmol\/L/ })).toBeVisible();
			await expectTouchFriendly(page);
			await page.getByRole('link', { name: 'Add lab result or vital sign' }).click();
			await expectTouchFriendly(page);
		});

		test('the members page fits the screen and keeps touch targets ≥ 44 px', async ({ page }) => {
			test.setTimeout(90_000);
			await createAccount(page);
			await page.getByRole('link', { name: 'New patient' }).click();
			await page.getByLabel('Given names').fill('Layout');
			await page.getByRole('button', { name: 'Save patient' }).click();
			await page.getByRole('link', { name: 'Members' }).click();
			// The patient reaches the server with the first sync; the list opens then.
			await expect(page.getByTestId('member')).toHaveCount(1, { timeout: 20_000 });
			await expectTouchFriendly(page);
		});

		test('shows where keyboard focus is', async ({ page }) => {
			await page.goto('/');
			// The app renders on the device: wait for it before using the keyboard.
			await expect(page.getByRole('link', { name: 'Charta, home' })).toBeVisible();
			const focusRing = () =>
				page.evaluate(() => {
					const focused = document.activeElement as HTMLElement;
					const style = getComputedStyle(focused);
					return {
						name: focused.getAttribute('aria-label') ?? focused.innerText,
						style: style.outlineStyle,
						width: parseFloat(style.outlineWidth)
					};
				});
			for (const expected of ['Skip to content', 'Charta, home']) {
				await page.keyboard.press('Tab');
				const ring = await focusRing();
				expect(ring.name).toBe(expected);
				expect(ring.style, expected).not.toBe('none');
				expect(ring.width, expected).toBeGreaterThanOrEqual(2);
			}
		});
	});
}
