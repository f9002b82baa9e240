import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './scripts/chromium.mjs';

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
			executablePath: chromiumPath,
			args: chromiumArgs
		},
		serviceWorkers: 'allow',
		trace: 'retain-on-failure'
	}
});
