import { startServer } from '../helpers/server-process.ts';
import { expect, test, waitForServiceWorker } from './fixtures.ts';

test.describe('offline after one visit', () => {
	test('renders the start page and deep routes from the service worker with no network', async ({
		page,
		context
	}) => {
		await page.goto('/');
		await expect(page.getByRole('heading', { level: 1, name: 'Charta' })).toBeVisible();
		await expect(page.getByTestId('connection')).toHaveText(/Online/);
		await waitForServiceWorker(page);

		await context.setOffline(true);
		await expect(page.getByTestId('connection')).toHaveText(/Offline/);

		await page.reload();
		await expect(page.getByRole('heading', { level: 1, name: 'Charta' })).toBeVisible();
		await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'offline');

		await page.goto('/about');
		await expect(page.getByRole('heading', { name: 'About Charta' })).toBeVisible();
		await expect(page.getByTestId('worker-state')).toHaveText(/opens offline/);

		await page.reload();
		await expect(page.getByRole('heading', { name: 'About Charta' })).toBeVisible();

		// A route the app does not have still opens the app (its own not-found page), not the
		// browser's offline error.
		await page.goto('/patients/123/labs?from=link');
		await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Charta, home' })).toBeVisible();
	});

	test('never answers the API from a cache', async ({ page, context }) => {
		await page.goto('/');
		await waitForServiceWorker(page);
		const online = await page.evaluate(async () => (await fetch('/v1/health')).status);
		expect(online).toBe(200);

		const cached = await page.evaluate(async () => {
			const urls: string[] = [];
			for (const name of await caches.keys()) {
				for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
			}
			return urls;
		});
		expect(cached.length).toBeGreaterThan(5);
		expect(cached.filter((url) => new URL(url).pathname.startsWith('/v1'))).toEqual([]);

		await context.setOffline(true);
		const offline = await page.evaluate(() =>
			fetch('/v1/health').then(
				(response) => `answered ${response.status}`,
				() => 'network error'
			)
		);
		expect(offline).toBe('network error');
	});
});

test('says "Server unreachable" when the network is up but the server is gone', async ({
	page
}) => {
	const own = await startServer();
	try {
		await page.goto(own.url);
		await expect(page.getByTestId('connection')).toHaveText(/Online/);
		await own.stop();
		await page.evaluate(() => window.dispatchEvent(new Event('online')));
		await expect(page.getByTestId('connection')).toHaveText(/Server unreachable/);
	} finally {
		await own.stop();
	}
});
