// The real server process (server-child.mjs → sync-server/src/main.ts) on a fresh PGlite folder,
// or on `databaseUrl`, serving `buildDir` (the device page) besides /v1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild } from './child-process.mjs';

const serverChild = new URL('./server-child.mjs', import.meta.url).pathname;

export async function startServer({ buildDir, databaseUrl, env = {}, nodeArgs = [] } = {}) {
	const dataDir = mkdtempSync(join(tmpdir(), 'charta-sync-bench-data-'));
	const server = await startChild({
		args: [...nodeArgs, '--expose-gc', '--import', 'tsx', serverChild],
		env: {
			PORT: '0',
			DATA_DIR: dataDir,
			...(buildDir ? { BUILD_DIR: buildDir } : {}),
			...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
			...env
		}
	}).catch((error) => {
		rmSync(dataDir, { recursive: true, force: true });
		throw error;
	});
	return {
		...server,
		async stop() {
			await server.stop();
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}
