// Renders static/icons/charta.svg into the PNG icons the web manifest and iOS need, with Debian's
// Chromium. Run after changing the SVG: npm run icons. The PNGs are committed.
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './chromium.mjs';

const svg = await readFile(new URL('../static/icons/charta.svg', import.meta.url), 'utf8');
const dataUrl = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;

// Maskable icons are cropped to a circle or squircle by the launcher: full-bleed background and
// the glyph inside the central 80 % safe zone (w3.org/TR/appmanifest/#icon-masks).
const icons = [
	{ file: 'icon-192.png', size: 192, maskable: false },
	{ file: 'icon-512.png', size: 512, maskable: false },
	{ file: 'icon-maskable-512.png', size: 512, maskable: true },
	{ file: 'apple-touch-icon-180.png', size: 180, maskable: true }
];

const browser = await chromium.launch({
	executablePath: chromiumPath,
	args: chromiumArgs
});
try {
	for (const { file, size, maskable } of icons) {
		const page = await browser.newPage({ viewport: { width: size, height: size } });
		const inner = maskable ? Math.round(size * 0.72) : size;
		await page.setContent(
			`<body style="margin:0;width:${size}px;height:${size}px;display:grid;place-items:center;background:${maskable ? '#0b6e69' : 'transparent'}">` +
				`<img src="${dataUrl}" width="${inner}" height="${inner}"></body>`
		);
		await page.screenshot({
			path: new URL(`../static/icons/${file}`, import.meta.url).pathname,
			omitBackground: !maskable
		});
		await page.close();
		console.log(`static/icons/${file} ${size}×${size}`);
	}
} finally {
	await browser.close();
}
