// Two devices of one person: two Chromium browsers, each with its own on-disk profile (real
// IndexedDB files, as an installed app has; Playwright's default contexts keep IndexedDB in
// memory), each running the device page (page/entry.ts) served by the server under test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';

async function launchDevice(name) {
	const profileDir = mkdtempSync(join(tmpdir(), `charta-sync-bench-${name}-`));
	const context = await chromium.launchPersistentContext(profileDir, {
		executablePath: chromiumPath,
		args: chromiumArgs
	});
	const page = context.pages()[0] ?? (await context.newPage());
	page.on('pageerror', (error) => console.error(`bench device ${name}: ${error.message}`));
	return {
		name,
		/** Loads the device page from `url` (a fresh origin per server: fresh storage, no cookie). */
		async open(url) {
			await page.goto(url);
			await page.waitForFunction(() => 'syncBench' in globalThis);
		},
		call(method, input) {
			return page.evaluate(
				([method, input]) => globalThis.syncBench[method](input),
				[method, input]
			);
		},
		async close() {
			await context.close();
			rmSync(profileDir, { recursive: true, force: true });
		}
	};
}

export async function launchDevices() {
	const [a, b] = await Promise.all([launchDevice('A'), launchDevice('B')]);
	return {
		a,
		b,
		close: () => Promise.all([a.close(), b.close()])
	};
}
