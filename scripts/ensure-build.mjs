// Builds the app when build/ is missing or older than its sources, so `npm start` and the
// browser tests always serve what is in the tree, and a second start skips the build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const marker = join(root, 'build', 'handler.js');
const sources = [
	'src',
	'service-worker',
	'static',
	'package.json',
	'package-lock.json',
	'svelte.config.js',
	'vite.config.ts'
];

function newestMtime(path) {
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const entry of readdirSync(path)) {
		if (entry.endsWith('.test.ts')) continue;
		newest = Math.max(newest, newestMtime(join(path, entry)));
	}
	return newest;
}

const builtAt = existsSync(marker) ? statSync(marker).mtimeMs : 0;
const changedAt = Math.max(
	...sources
		.map((s) => join(root, s))
		.filter(existsSync)
		.map(newestMtime)
);

if (builtAt >= changedAt) process.exit(0);

console.log(
	builtAt === 0 ? 'Building Charta (first start)…' : 'Sources changed: rebuilding Charta…'
);
const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
	cwd: root,
	stdio: 'inherit',
	env: { ...process.env, CHARTA_BUILD_OUT: 'build' }
});
process.exit(result.status ?? 1);
