// Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
// Missing and root → install it with apt-get; missing otherwise → stop and say how.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromiumPath } from './chromium.mjs';

const path = chromiumPath;
if (existsSync(path)) process.exit(0);

const install = 'apt-get update && apt-get install -y chromium';
if (process.getuid?.() !== 0) {
	console.error(`Chromium is not installed at ${path}. Install it with: sudo sh -c '${install}'`);
	process.exit(1);
}
console.log(`Chromium is missing at ${path}: installing it (${install})…`);
const result = spawnSync('sh', ['-c', install], {
	stdio: 'inherit',
	env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
});
if (result.status !== 0 || !existsSync(path)) {
	console.error(`Installing Chromium failed. Run: ${install}`);
	process.exit(1);
}
