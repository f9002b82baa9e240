import type { Page } from '@playwright/test';

/**
 * Full-page screenshots at phone (390 px) and tablet (820 px) widths into `folder` (a spec's
 * *_SCREENSHOTS environment variable), named `<name>-<width>.png`; nothing when it is unset.
 */
export function screenshotsInto(folder: string | undefined, { height = 1000 } = {}) {
	return async (page: Page, name: string) => {
		if (!folder) return;
		for (const width of [390, 820]) {
			await page.setViewportSize({ width, height });
			await page.screenshot({ path: `${folder}/${name}-${width}.png`, fullPage: true });
		}
		await page.setViewportSize({ width: 1280, height: 720 });
	};
}
