import type { ProfileKey } from '../crypto/index.ts';
import type { HandedProfileKey } from '../shared/sw-messages.ts';
import { ImportKeyMissingError } from './errors.ts';

// The profile keys the unlocked page handed the service worker, in its memory only, until the
// page says forget (lock, sign-out, auto-lock) or the browser stops the worker.
export function createHandedKeys() {
	let keys = new Map<string, ProfileKey>();
	let cloud = new Set<string>();
	const id = (profileId: string, version: number) => `${profileId}:${version}`;
	return {
		replace(handed: readonly HandedProfileKey[], cloudProfiles: readonly string[] = []): void {
			cloud = new Set(cloudProfiles);
			keys = new Map(
				handed.map(({ profileId, version, key }) => [id(profileId, version), { version, key }])
			);
		},
		forget(): void {
			keys = new Map();
			cloud = new Set();
		},
		// Where this profile's imports are read: 'cloud' only with the consent the page vouched for.
		processing(profileId: string): 'local' | 'cloud' {
			return cloud.has(profileId) ? 'cloud' : 'local';
		},
		has(profileId: string): boolean {
			for (const key of keys.keys()) if (key.startsWith(`${profileId}:`)) return true;
			return false;
		},
		async get(profileId: string, version: number): Promise<ProfileKey> {
			const key = keys.get(id(profileId, version));
			if (!key) throw new ImportKeyMissingError(profileId);
			return key;
		}
	};
}

export type HandedKeys = ReturnType<typeof createHandedKeys>;
