import { expect, test } from './fixtures.ts';

interface ManifestIcon {
	src: string;
	sizes: string;
	type: string;
	purpose?: string;
}

test('the web manifest parses and every icon it lists loads at its declared size', async ({
	page,
	request
}) => {
	await page.goto('/');
	const href = await page.locator('link[rel="manifest"]').getAttribute('href');
	expect(href).toBe('/manifest.webmanifest');

	const response = await request.get(href!);
	expect(response.ok()).toBe(true);
	const manifest = (await response.json()) as Record<string, unknown> & { icons: ManifestIcon[] };
	expect(manifest).toMatchObject({
		id: '/',
		name: expect.stringContaining('Charta'),
		short_name: 'Charta',
		description: expect.any(String),
		start_url: '/',
		display: 'standalone',
		theme_color: expect.stringMatching(/^#[0-9a-f]{6}$/i),
		background_color: expect.stringMatching(/^#[0-9a-f]{6}$/i)
	});

	const purposes = manifest.icons.map((icon) => `${icon.sizes} ${icon.purpose ?? 'any'}`);
	expect(purposes).toEqual(
		expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable'])
	);

	const touchIcon = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
	const icons = [...manifest.icons, { src: touchIcon!, sizes: '180x180', type: 'image/png' }];
	for (const icon of icons) {
		const loaded = await page.evaluate(async (src) => {
			const image = new Image();
			image.src = src;
			await image.decode();
			return `${image.naturalWidth}x${image.naturalHeight}`;
		}, icon.src);
		expect(loaded, icon.src).toBe(icon.sizes);
		const file = await request.get(icon.src);
		expect(file.headers()['content-type'], icon.src).toBe('image/png');
	}
});
