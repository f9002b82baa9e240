import {
	fromBase64Url,
	importPublicKey,
	toBase64Url,
	type CryptoKeyPair
} from '../crypto/index.ts';
import type {
	MemberKey,
	ProfileMember,
	ShareRole,
	UserLookupResponse
} from '../shared/profiles.ts';
import type { VaultCrypto } from '../vault/index.ts';
import { ApiRequestError } from '../http/api-errors.ts';
import { SharingError, UnknownAccountError } from './errors.ts';
import type { SharingApi } from './sharing-api.ts';

// Shares a profile: finds the person by email, then wraps the profile key at every version
// 1…current for their public key (so they can read the profile's whole history) and adds them.
//
// This device's own copies of profile keys are non-extractable (the vault and the sync client
// only ever encrypt and decrypt with them), and a key must be exported to be wrapped. So each
// version is unwrapped once more here, from the copies wrapped for this user that GET
// /v1/profiles returns, as an extractable key that lives only until it is wrapped again.
export async function inviteMember({
	api,
	crypto,
	userKeyPair,
	profileId,
	email,
	role,
	checkKey = async () => {}
}: {
	api: Pick<SharingApi, 'lookupUser' | 'listMembers' | 'addMember' | 'listProfiles'>;
	crypto: Pick<VaultCrypto, 'wrapProfileKey' | 'unwrapProfileKey'>;
	userKeyPair: CryptoKeyPair;
	profileId: string;
	email: string;
	role: ShareRole;
	// Refuses a key the server gives for this person that differs from the one used before
	// (key-pins.ts); createSharing always passes it.
	checkKey?: (person: UserLookupResponse) => Promise<void>;
}): Promise<ProfileMember> {
	const address = email.trim().toLowerCase();
	const person = await api.lookupUser(address).catch((error: unknown) => {
		if (error instanceof ApiRequestError && error.status === 404) {
			throw new UnknownAccountError(address);
		}
		throw error;
	});
	const [{ members }, { profiles }] = await Promise.all([
		api.listMembers(profileId),
		api.listProfiles()
	]);
	const existing = members.find((member) => member.userId === person.userId);
	if (existing && !existing.revokedAt && existing.role === 'owner') {
		throw new SharingError('That is the owner of this patient.');
	}
	const own = profiles.find((profile) => profile.profileId === profileId);
	if (!own) throw new SharingError('You are no longer a member of this patient.');

	await checkKey(person);
	const recipientPublicKey = await importPublicKey(person.publicKey);
	const keys: MemberKey[] = [];
	for (let keyVersion = 1; keyVersion <= own.currentKeyVersion; keyVersion++) {
		const wrapped = own.keys.find((key) => key.keyVersion === keyVersion);
		if (!wrapped) {
			throw new SharingError(`This device cannot open key version ${keyVersion} of this patient.`);
		}
		const profileKey = await crypto.unwrapProfileKey({
			wrapped: fromBase64Url(wrapped.wrappedProfileKey),
			profileId,
			keyVersion,
			recipient: userKeyPair,
			extractable: true
		});
		const forThem = await crypto.wrapProfileKey({ profileKey, profileId, recipientPublicKey });
		keys.push({ keyVersion, wrappedProfileKey: toBase64Url(forThem) });
	}
	return api.addMember(profileId, { userId: person.userId, role, keys });
}
