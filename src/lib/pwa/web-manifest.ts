// The installed app's identity. Colours match src/app.css (--brand, --surface).
export const themeColor = '#0b6e69';
export const backgroundColor = '#f6f8f7';

export const webManifest = {
	id: '/',
	name: 'Charta — health records',
	short_name: 'Charta',
	description:
		'Offline-first, end-to-end encrypted health records for clinicians and patients. Works without a network; the server only ever sees ciphertext.',
	start_url: '/',
	scope: '/',
	display: 'standalone' as const,
	orientation: 'any' as const,
	theme_color: themeColor,
	background_color: backgroundColor,
	lang: 'en',
	categories: ['medical', 'health'],
	icons: [
		{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
		{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
		{
			src: '/icons/icon-maskable-512.png',
			sizes: '512x512',
			type: 'image/png',
			purpose: 'maskable'
		}
	]
};
