import { test as base, expect, type Page } from '@playwright/test';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';

export { expect };

/** One real sync-server per worker, on PGlite in a temporary folder, serving the built app. */
export const test = base.extend<object, { server: ServerProcess }>({
	server: [
		// Playwright reads the fixtures a fixture needs from this pattern; this one needs none.
		// eslint-disable-next-line no-empty-pattern
		async ({}, use) => {
			const server = await startServer();
			await use(server);
			await server.stop();
		},
		{ scope: 'worker' }
	],
	baseURL: async ({ server }, use) => {
		await use(server.url);
	}
});

/**
 * The worker is installed (its precache complete), activated and controls this page: from now on
 * the app opens offline. The predicate must be synchronous: waitForFunction takes a returned
 * Promise for a truthy answer.
 */
export async function waitForServiceWorker(page: Page) {
	await page.evaluate(() => navigator.serviceWorker.ready);
	await page.waitForFunction(
		() => navigator.serviceWorker.controller?.state === 'activated',
		undefined,
		{
			timeout: 30_000
		}
	);
}
