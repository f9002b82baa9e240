// The sync bench's stand-in for the app's build (build/handler.js): serves the device page that
// page-build.mjs built, under the app's script policy, on the server under test, so the page
// and /v1 share an origin as the app and its API do.
import { readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'";
const TYPES = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.json': 'application/json',
	'.wasm': 'application/wasm'
};

export function createPageHandler(dir) {
	return (request, response, next) => {
		const pathname = new URL(request.url ?? '/', 'http://x').pathname;
		const file = normalize(join(dir, pathname === '/' ? 'index.html' : pathname));
		if (!file.startsWith(dir)) return next();
		let body;
		try {
			body = readFileSync(file);
		} catch {
			return next();
		}
		response.writeHead(200, {
			'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
			'cache-control': 'no-store',
			'content-security-policy': CSP
		});
		response.end(body);
	};
}
