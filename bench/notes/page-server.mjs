// Builds bench/notes/index.html (entry.ts with the app's own notes modules) with Vite into a
// temporary folder and serves it on 127.0.0.1, a secure context, under the app's script policy.
// The same shape as bench/store/page-server.mjs, for this folder.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { build } from 'vite';

const root = new URL('.', import.meta.url).pathname;
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'";
const TYPES = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8'
};

export async function startNotesPage() {
	const outDir = mkdtempSync(join(tmpdir(), 'charta-notes-bench-'));
	await build({
		configFile: false,
		root,
		publicDir: false,
		logLevel: 'warn',
		build: { outDir, emptyOutDir: true, target: 'esnext', reportCompressedSize: false }
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
