// Builds the device page (page/index.html + entry.ts, with the app's own modules) with Vite into
// a temporary BUILD_DIR whose handler.js serves it, as build/handler.js serves the app. Every
// server the bench starts gets this BUILD_DIR, so it serves the page and /v1 on one origin.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';

const here = new URL('.', import.meta.url).pathname;

export async function buildDevicePage() {
	const buildDir = mkdtempSync(join(tmpdir(), 'charta-sync-bench-'));
	const pageDir = join(buildDir, 'page');
	// configFile: false keeps the app's vite.config.ts (SvelteKit, PWA) out of this build.
	await build({
		configFile: false,
		root: join(here, 'page'),
		publicDir: false,
		logLevel: 'warn',
		build: {
			outDir: pageDir,
			emptyOutDir: true,
			target: 'esnext',
			reportCompressedSize: false,
			chunkSizeWarningLimit: 4096
		}
	});
	writeFileSync(
		join(buildDir, 'handler.js'),
		`import { createPageHandler } from ${JSON.stringify(join(here, 'page-handler.mjs'))};\n` +
			`export const handler = createPageHandler(${JSON.stringify(pageDir + '/')});\n`
	);
	return { buildDir, remove: () => rmSync(buildDir, { recursive: true, force: true }) };
}
