// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	/** package.json's version, set by vite.config.ts. */
	const __CHARTA_VERSION__: string;
	namespace App {
		interface Error {
			message: string;
		}
	}
}

export {};
