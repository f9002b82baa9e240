import { toBase64Url } from '../crypto/index.ts';
import type { UserDb } from '../db/index.ts';
import { ApiRequestError } from '../http/api-errors.ts';
import type { SyncApi } from './sync-api.ts';
import { registeredKey, registeredProfiles } from './sync-settings.ts';

export interface RegistrationFailure {
	profileId: string;
	error: ApiRequestError;
}

// A profile made on this device exists only here until POST /v1/profiles; the server rejects
// pushes to a profile it does not know, so this runs before every push. A replay of the same
// request answers 200, so a registration whose answer was lost is simply sent again.
// A refusal (409: the id is another's) is reported and its changes stay queued; a network or
// server failure throws, for the caller's backoff.
export async function registerProfiles({
	db,
	api
}: {
	db: UserDb;
	api: Pick<SyncApi, 'createProfile'>;
}): Promise<RegistrationFailure[]> {
	const registered = await registeredProfiles(db);
	const pending = (await db.profiles.toArray()).filter(
		(profile) => !profile.deleted && profile.keyVersion === 1 && !registered.has(profile.id)
	);
	const failures: RegistrationFailure[] = [];
	for (const profile of pending) {
		try {
			await api.createProfile({
				profileId: profile.id,
				wrappedProfileKey: toBase64Url(profile.wrappedProfileKey),
				keyVersion: 1
			});
		} catch (error) {
			if (error instanceof ApiRequestError && error.status >= 400 && error.status < 500) {
				if (error.status === 401 || error.status === 429) throw error;
				failures.push({ profileId: profile.id, error });
				continue;
			}
			throw error;
		}
		await db.settings.put({ key: registeredKey(profile.id), value: true });
	}
	return failures;
}
