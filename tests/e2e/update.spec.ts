import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, tempDataDir, type ServerProcess } from '../helpers/server-process.ts';
import { expect, test, waitForServiceWorker } from './fixtures.ts';

const root = new URL('../..', import.meta.url).pathname;

/** A second build of the app with a different build id, beside the first. */
function buildNextVersion(buildId: string): string {
	const out = join(root, 'build-next');
	rmSync(out, { recursive: true, force: true });
	const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], {
		cwd: root,
		env: { ...process.env, CHARTA_BUILD_OUT: 'build-next', CHARTA_BUILD_ID: buildId },
		encoding: 'utf8'
	});
	if (result.status !== 0) throw new Error(`Second build failed:\n${result.stderr}`);
	return out;
}

test('a new version waits for the person: "A new version is ready", and Reload brings it', async ({
	page
}) => {
	test.setTimeout(180_000);
	const dataDir = tempDataDir();
	const first = await startServer({ DATA_DIR: dataDir });
	let second: ServerProcess | undefined;
	try {
		await page.goto(`${first.url}/about`);
		await waitForServiceWorker(page);
		const firstBuild = await page.getByTestId('build-id').innerText();

		const nextBuild = `next-${Date.now()}`;
		const buildDir = buildNextVersion(nextBuild);
		await first.stop();
		second = await startServer({
			DATA_DIR: dataDir,
			PORT: String(first.port),
			BUILD_DIR: buildDir
		});

		// The browser checks for a new worker on navigation and when the app asks; ask now.
		await page.evaluate(async () => {
			const registration = await navigator.serviceWorker.getRegistration();
			await registration?.update();
		});
		const banner = page.getByRole('alert').filter({ hasText: 'A new version is ready' });
		await expect(banner).toBeVisible({ timeout: 30_000 });
		// Nothing reloads by itself: the page still runs the first version.
		await expect(page.getByTestId('build-id')).toHaveText(firstBuild);

		await banner.getByRole('button', { name: 'Reload' }).click();
		await expect(page.getByTestId('build-id')).toHaveText(nextBuild, { timeout: 30_000 });
		await expect(page.getByRole('alert').filter({ hasText: 'A new version is ready' })).toHaveCount(
			0
		);
		expect(nextBuild).not.toBe(firstBuild);
	} finally {
		await first.stop();
		await second?.stop();
	}
});
