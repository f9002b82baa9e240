import { exportPublicKey, safetyCode, type CryptoKeyPair } from '../crypto/index.ts';
import type { UserDb } from '../db/index.ts';
import type { ShareRole } from '../shared/profiles.ts';
import { createProfileKeyRing } from '../sync/profile-key-ring.ts';
import { defaultVaultCrypto, type VaultCrypto } from '../vault/index.ts';
import { inviteMember } from './invite-member.ts';
import { checkKeyPin } from './key-pins.ts';
import { readProfileAccess } from './profile-access.ts';
import { revokeMember } from './revoke-member.ts';
import { createSharingApi } from './sharing-api.ts';

// Profile sharing for the unlocked session (issue 4): who may open a profile, inviting by email,
// removing with key rotation. Needs the server; `onChange` runs after an invite or a removal
// (app-state syncs then, so the new key version reaches the server with the next writes).
export function createSharing({
	db,
	userKeyPair,
	crypto = defaultVaultCrypto,
	fetch = (...args) => globalThis.fetch(...args),
	baseUrl = '',
	now = Date.now,
	onChange = () => {}
}: {
	db: UserDb;
	userKeyPair: CryptoKeyPair;
	crypto?: VaultCrypto;
	fetch?: typeof globalThis.fetch;
	baseUrl?: string;
	now?: () => number;
	onChange?: () => void;
}) {
	const api = createSharingApi({ fetch, baseUrl });
	const checkKey = (person: Parameters<typeof checkKeyPin>[1]) => checkKeyPin(db, person);
	return {
		access: (profileId: string) => readProfileAccess(db, profileId),

		listMembers: (profileId: string) => api.listMembers(profileId),

		// This user's own safety code, for others to compare with the one they see beside them.
		ownSafetyCode: async () => safetyCode(await exportPublicKey(userKeyPair.publicKey, 'jwk')),

		async inviteMember(input: { profileId: string; email: string; role: ShareRole }) {
			const person = await inviteMember({ api, crypto, userKeyPair, checkKey, ...input });
			onChange();
			return person;
		},

		async revokeMember(input: { profileId: string; userId: string }) {
			// A ring of its own: older versions are looked up on the server, per call.
			const keys = createProfileKeyRing({ db, userKeyPair, crypto, api });
			const outcome = await revokeMember({
				db,
				api,
				crypto,
				keys,
				userKeyPair,
				now,
				checkKey,
				...input
			});
			onChange();
			return outcome;
		}
	};
}

export type Sharing = ReturnType<typeof createSharing>;
