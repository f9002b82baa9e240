import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// One build id for the whole build: kit loads this file more than once (and in its prerender
// process, which inherits the environment), so a bare Date.now() would differ between loads.
process.env.CHARTA_BUILD_ID ??= String(Date.now());

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// CHARTA_BUILD_OUT lets the update test build a second version beside the first.
		adapter: adapter({ out: process.env.CHARTA_BUILD_OUT ?? 'build' }),
		// Offline deep links break with relative asset paths (TOOLCHAIN.md).
		paths: { relative: false },
		// workbox-window registers the worker itself (src/lib/pwa/register.ts).
		serviceWorker: { register: false },
		files: { serviceWorker: 'service-worker/sw' },
		version: { name: process.env.CHARTA_BUILD_ID },
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self', 'wasm-unsafe-eval'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'connect-src': ['self'],
				'worker-src': ['self'],
				'manifest-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self']
			}
		}
	}
};

export default config;
