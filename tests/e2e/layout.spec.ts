import { expect, test } from './fixtures.ts';

for (const device of [
	{ name: 'phone', width: 390, height: 844 },
	{ name: 'tablet', width: 820, height: 1180 }
]) {
	test.describe(`on a ${device.name} (${device.width} px)`, () => {
		test.use({ viewport: { width: device.width, height: device.height }, hasTouch: true });

		for (const path of ['/', '/about']) {
			test(`${path} fits the screen, names every control and keeps touch targets ≥ 44 px`, async ({
				page
			}) => {
				await page.goto(path);
				await expect(page.getByTestId('connection')).toHaveText(/Online/);

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
								const box = element.getBoundingClientRect();
								const name =
									element.getAttribute('aria-label') ??
									(element as HTMLElement).innerText.trim() ??
									'';
								return { name, width: box.width, height: box.height };
							})
					);
				expect(controls.length).toBeGreaterThan(0);
				for (const control of controls) {
					expect(control.name, 'every control has an accessible name').not.toBe('');
					expect(control.width, `"${control.name}" is wide enough to tap`).toBeGreaterThanOrEqual(
						44
					);
					expect(control.height, `"${control.name}" is tall enough to tap`).toBeGreaterThanOrEqual(
						44
					);
				}
			});
		}

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
