// Builds a bench page folder (its index.html and entry.ts, with the app's own modules) with Vite
// into a temporary folder, and serves it on 127.0.0.1 — a secure context, so crypto.subtle exists
// — under the app's script policy. Used by the store and notes benches.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { build } from 'vite';

// The app's policy (svelte.config.js) where it matters for speed: no 'unsafe-eval', so zod
// validates without its eval-compiled fast path, as it must in the app.
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'";
const TYPES = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.json': 'application/json',
	'.wasm': 'application/wasm'
};

/** `folder`: the page's folder under bench/, e.g. 'store'. */
export async function startBenchPage(folder) {
	const root = new URL(`./${folder}/`, import.meta.url).pathname;
	const outDir = mkdtempSync(join(tmpdir(), `charta-${folder}-bench-`));
	// configFile: false keeps the app's vite.config.ts (SvelteKit, PWA) out of this build.
	await build({
		configFile: false,
		root,
		publicDir: false,
		logLevel: 'warn',
		build: {
			outDir,
			emptyOutDir: true,
			target: 'esnext',
			// BENCH_MINIFY=0 keeps function names, for reading a CPU profile of the page.
			minify: process.env.BENCH_MINIFY !== '0',
			reportCompressedSize: false,
			// One bundle with the app's crypto, records, UCUM, Yjs and Dexie: large, and meant to be.
			chunkSizeWarningLimit: 4096
		}
	});
	const server = createServer((request, response) => {
		const pathname = new URL(request.url ?? '/', 'http://x').pathname;
		const file = normalize(join(outDir, pathname === '/' ? 'index.html' : pathname));
		if (!file.startsWith(outDir)) return void response.writeHead(403).end();
		try {
			const body = readFileSync(file);
			response.writeHead(200, {
				'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
				'cache-control': 'no-store',
				'content-security-policy': CSP
			});
			response.end(body);
		} catch {
			response.writeHead(404).end();
		}
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${port}/`,
		async stop() {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
			rmSync(outDir, { recursive: true, force: true });
		}
	};
}
