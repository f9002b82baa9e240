import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vite';
import { webManifest } from './src/lib/pwa/web-manifest';

const apiPort = process.env.PORT ?? '8787';

export default defineConfig({
	plugins: [
		sveltekit(),
		SvelteKitPWA({
			strategies: 'injectManifest',
			srcDir: 'service-worker',
			filename: 'sw.ts',
			// workbox-window registers the worker (src/lib/pwa/register.ts), never the plugin.
			injectRegister: false,
			manifest: webManifest,
			injectManifest: {
				globPatterns: ['client/**/*.{js,css,ico,png,svg,webp,webmanifest,woff2}']
			},
			devOptions: { enabled: false }
		})
	],
	server: {
		proxy: { '/v1': { target: `http://127.0.0.1:${apiPort}`, changeOrigin: false } }
	}
});
