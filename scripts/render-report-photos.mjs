// Renders golden lab reports as "photos" and scans for the OCR tests: each report's text laid out
// on a sheet of paper in HTML, photographed by Debian's Chromium (playwright-core), then turned,
// re-encoded or wrapped in an image-only PDF. Deterministic (seeded noise), so re-running gives
// the same pictures. Run: node scripts/render-report-photos.mjs — writes into
// tests/fixtures/lab-reports: NAME.png/.jpg/.webp/.pdf and NAME.expected.json (source "photo",
// results copied from the report's own expected file).
import { readFileSync, writeFileSync } from 'node:fs';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import PDFDocument from 'pdfkit';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './chromium.mjs';

const FIXTURES = new URL('../tests/fixtures/lab-reports/', import.meta.url);

// from: the report rendered; turn: CSS rotation in degrees (a photo taken askew); quarter: whole
// quarter turns applied to the picture afterwards (a phone held sideways); noisy: blur, low
// contrast, uneven light and speckle; format: how the picture is stored.
const photos = [
	{ name: 'photo-straight', from: 'uk-nhs-fbc-ue', format: 'png', turn: 0 },
	{ name: 'photo-askew', from: 'us-cmp-tabular', format: 'jpeg', turn: -3 },
	{ name: 'photo-sideways', from: 'thyroid-haematinics', format: 'jpeg', turn: 0, quarter: 1 },
	{ name: 'photo-noisy', from: 'diabetes-renal', format: 'jpeg', turn: 1.5, noisy: true },
	{ name: 'photo-webp', from: 'key-value-lipids', format: 'webp', turn: 0 },
	{ name: 'scan-liver-coag', from: 'liver-coag-critical', format: 'pdf', turn: 0.8 }
];

const escape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function sheet(text, { turn, noisy }) {
	// Noise from a fixed seed, drawn by the page itself on a canvas over the paper.
	const speckle = noisy
		? `<canvas id="noise" width="900" height="1300"></canvas>
<script>
	let seed = 42;
	const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
	const ctx = document.getElementById('noise').getContext('2d');
	for (let i = 0; i < 5000; i++) {
		const shade = Math.floor(random() * 120);
		ctx.fillStyle = 'rgba(' + shade + ',' + shade + ',' + shade + ',' + (0.15 + random() * 0.35) + ')';
		ctx.fillRect(random() * 900, random() * 1300, 1 + random() * 2, 1 + random() * 2);
	}
</script>`
		: '';
	return `<!doctype html><html><head><style>
	html, body { margin: 0; background: #6b6258; }
	.paper {
		position: absolute; left: 30px; top: 30px; width: 820px; min-height: 1160px;
		padding: 36px 40px; box-sizing: border-box; background: #fbfaf6;
		box-shadow: 0 6px 24px rgba(0,0,0,.45);
		transform: rotate(${turn}deg); transform-origin: 50% 50%;
		${noisy ? 'filter: blur(0.6px) contrast(0.65) brightness(1.05);' : ''}
	}
	pre { margin: 0; font: 11.5px/1.5 'DejaVu Sans Mono', monospace; color: #1d1d1d; white-space: pre; }
	#noise { position: absolute; inset: 0; width: 100%; height: 100%; pointer-events: none; }
	.light { position: absolute; inset: 0; pointer-events: none;
		background: radial-gradient(ellipse at 20% 10%, rgba(255,255,255,0) 30%, rgba(60,50,30,.28) 100%); }
</style></head><body><div class="paper"><pre>${escape(text)}</pre>${speckle}${noisy ? '<div class="light"></div>' : ''}</div></body></html>`;
}

async function turned(png, quarter) {
	const image = await loadImage(png);
	const swap = quarter % 2 === 1;
	const canvas = createCanvas(swap ? image.height : image.width, swap ? image.width : image.height);
	const ctx = canvas.getContext('2d');
	ctx.translate(canvas.width / 2, canvas.height / 2);
	ctx.rotate((quarter * Math.PI) / 2);
	ctx.drawImage(image, -image.width / 2, -image.height / 2);
	return canvas;
}

function imagePdf(jpeg, { width, height }) {
	return new Promise((resolve, reject) => {
		// A4 at the picture's aspect ratio: the page is the picture and nothing else.
		const pageWidth = 595;
		const doc = new PDFDocument({
			size: [pageWidth, Math.round((pageWidth * height) / width)],
			margin: 0,
			info: { CreationDate: new Date(Date.UTC(2025, 0, 1)) }
		});
		const chunks = [];
		doc.on('data', (chunk) => chunks.push(chunk));
		doc.on('end', () => resolve(Buffer.concat(chunks)));
		doc.on('error', reject);
		doc.image(jpeg, 0, 0, { width: pageWidth });
		doc.end();
	});
}

async function blankScan() {
	// A scanned sheet with nothing on it: off-white paper, a faint shadow at one edge and dust.
	const canvas = createCanvas(880, 1240);
	const ctx = canvas.getContext('2d');
	ctx.fillStyle = '#f4f2ec';
	ctx.fillRect(0, 0, canvas.width, canvas.height);
	const shade = ctx.createLinearGradient(0, 0, 60, 0);
	shade.addColorStop(0, 'rgba(90,80,70,0.35)');
	shade.addColorStop(1, 'rgba(90,80,70,0)');
	ctx.fillStyle = shade;
	ctx.fillRect(0, 0, 60, canvas.height);
	let seed = 7;
	const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
	for (let i = 0; i < 400; i++) {
		ctx.fillStyle = `rgba(60,60,60,${0.2 + random() * 0.4})`;
		ctx.fillRect(random() * canvas.width, random() * canvas.height, 1 + random() * 2, 1 + random());
	}
	return imagePdf(await canvas.encode('jpeg', 70), canvas);
}

const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
try {
	const page = await browser.newPage({
		viewport: { width: 880, height: 1220 },
		deviceScaleFactor: 2
	});
	for (const photo of photos) {
		const text = readFileSync(new URL(`${photo.from}.txt`, FIXTURES), 'utf8').split('\f')[0];
		await page.setContent(sheet(text, photo));
		const canvas = await turned(await page.screenshot({ type: 'png' }), photo.quarter ?? 0);
		const file = `${photo.name}.${photo.format === 'jpeg' ? 'jpg' : photo.format}`;
		const bytes =
			photo.format === 'pdf'
				? await imagePdf(await canvas.encode('jpeg', 72), canvas)
				: photo.format === 'png'
					? await canvas.encode('png')
					: await canvas.encode(photo.format, photo.format === 'webp' ? 80 : 78);
		writeFileSync(new URL(file, FIXTURES), bytes);
		const source = JSON.parse(
			readFileSync(new URL(`${photo.from}.expected.json`, FIXTURES), 'utf8')
		);
		const { name, from, format, ...settings } = photo;
		const expected = {
			source: 'photo',
			description: `The ${from} report rendered by Chromium from its text, as ${format === 'pdf' ? 'a scanned PDF (one page image, no text layer)' : `a ${format.toUpperCase()} photo`}${settings.turn ? `, turned ${settings.turn}°` : ''}${settings.quarter ? ', sideways (90°)' : ''}${settings.noisy ? ', blurred, low contrast, speckled, uneven light' : ''}`,
			...(source.documentDate ? { documentDate: source.documentDate } : {}),
			...(source.patientName ? { patientName: source.patientName } : {}),
			render: { file, from, ...settings },
			results: source.results
		};
		writeFileSync(
			new URL(`${name}.expected.json`, FIXTURES),
			`${JSON.stringify(expected, null, '\t')}\n`
		);
		console.log(`${file}: ${bytes.length} bytes`);
	}
	// A photo of an empty sheet, speckled: nothing legible on it.
	await page.setContent(sheet('', { turn: 2, noisy: true }));
	const empty = await turned(await page.screenshot({ type: 'png' }), 0);
	const emptyJpeg = await empty.encode('jpeg', 70);
	writeFileSync(new URL('photo-blank.jpg', FIXTURES), emptyJpeg);
	console.log(`photo-blank.jpg: ${emptyJpeg.length} bytes`);
	const blank = await blankScan();
	writeFileSync(new URL('blank-scan.pdf', FIXTURES), blank);
	console.log(`blank-scan.pdf: ${blank.length} bytes`);
} finally {
	await browser.close();
}
