// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	/** package.json's version, set by vite.config.ts. */
	const __CHARTA_VERSION__: string;
	namespace App {
		interface Error {
			message: string;
		}
		interface PageState {
			/** Set by the edit page after "Delete patient": the patients page offers Undo. */
			deletedProfileId?: string;
		}
	}
}

export {};
