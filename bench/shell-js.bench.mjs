// shell_js_gzip_kb: all JavaScript the first screen loads (scripts and module preloads, as
// Chromium fetched them), gzip-compressed at the default level, in KiB. The service worker's own
// script is reported apart (shell_sw_js_gzip_kb): the browser fetches it, the screen does not run it.
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';
import { startCharta } from './server.mjs';

export async function run() {
	const charta = await startCharta();
	const browser = await chromium.launch({
		executablePath: chromiumPath,
		args: chromiumArgs
	});
	try {
		const page = await browser.newPage();
		const scripts = new Map();
		page.on('response', async (response) => {
			const url = response.url();
			if (response.request().resourceType() === 'script' || url.endsWith('.js')) {
				scripts.set(
					url,
					response.body().catch(() => Buffer.alloc(0))
				);
			}
		});
		await page.goto(charta.url, { waitUntil: 'networkidle' });
		await page.getByRole('heading', { level: 1 }).waitFor();
		let shell = 0;
		for (const [url, body] of scripts) {
			if (new URL(url).pathname !== '/sw.js') shell += gzipSync(await body).length;
		}
		const worker = gzipSync(
			Buffer.from(await (await fetch(`${charta.url}/sw.js`)).arrayBuffer())
		).length;
		return {
			shell_js_gzip_kb: Math.round((shell / 1024) * 10) / 10,
			shell_js_files: [...scripts.keys()].filter((url) => !url.endsWith('/sw.js')).length,
			shell_sw_js_gzip_kb: Math.round((worker / 1024) * 10) / 10
		};
	} finally {
		await browser.close();
		await charta.stop();
	}
}
