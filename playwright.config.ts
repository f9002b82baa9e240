import { defineConfig } from '@playwright/test';

// Debian's Chromium; Playwright cannot download its own browser on these machines. The flags keep
// Chromium from calling Google's hosts, which this network refuses (TOOLCHAIN.md).
const chromiumArgs = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

export default defineConfig({
	testDir: 'tests/e2e',
	// The update test rebuilds the app and restarts its server; the machine has two cores.
	workers: 1,
	timeout: 60_000,
	expect: { timeout: 10_000 },
	retries: 0,
	// npm test collects the counts for its summary through the JSON report.
	reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_FILE ? [['list'], ['json']] : [['list']],
	use: {
		browserName: 'chromium',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: chromiumArgs
		},
		serviceWorkers: 'allow',
		trace: 'retain-on-failure'
	}
});
