// Debian's Chromium, as every browser test, benchmark and script here launches it. Playwright
// cannot download its own browser on these machines; the flags keep Chromium from calling
// Google's hosts, which this network refuses (TOOLCHAIN.md).
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];
