import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type PageHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/**
 * The built SvelteKit app (adapter-node's handler): pages, assets, /sw.js and the manifest.
 * Without a build the server still runs the API and says how to build the app.
 */
export async function loadPageHandler(buildDir: string): Promise<PageHandler | undefined> {
	const file = join(buildDir, 'handler.js');
	if (!existsSync(file)) return undefined;
	const module = (await import(pathToFileURL(file).href)) as { handler: PageHandler };
	return module.handler;
}

export function missingBuildHandler(buildDir: string): PageHandler {
	return (_req, res) => {
		res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
		res.end(`Charta's app is not built (no ${buildDir}/handler.js). Run: npm run build\n`);
	};
}
