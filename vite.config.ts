import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };
import { webManifest } from './src/lib/pwa/web-manifest.ts';

const apiPort = process.env.PORT ?? '8787';

export default defineConfig({
	define: { __CHARTA_VERSION__: JSON.stringify(pkg.version) },
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
