import { importPublicKey, toBase64Url, type CryptoKeyPair } from '../crypto/index.ts';
import type { UserDb } from '../db/index.ts';
import type { ProfileMember, RevokeMemberRequest } from '../shared/profiles.ts';
import { adoptKeyVersion } from '../sync/follow-key-rotation.ts';
import type { ProfileKeyRing } from '../sync/profile-key-ring.ts';
import type { VaultCrypto } from '../vault/index.ts';
import { SharingError } from './errors.ts';
import type { SharingApi } from './sharing-api.ts';

// Removes a member and rotates the profile key (DESIGN.md, security model): a fresh key at the
// next version is wrapped for every remaining current member — the owner included — and sent
// with the revocation in one request, so the server never has a current version that some
// member cannot open. Then this device adopts the new version at once (its records re-sealed,
// the row updated, one transaction), so its next writes are sealed under it; its other devices
// and the remaining members follow on their next sync (follow-key-rotation.ts).
//
// What the removed member already holds stays readable to them; they get nothing newer, and
// the server refuses their writes.
export async function revokeMember({
	db,
	api,
	crypto,
	keys,
	userKeyPair,
	profileId,
	userId,
	now,
	checkKey = async () => {}
}: {
	db: UserDb;
	api: Pick<SharingApi, 'listMembers' | 'revokeMember'>;
	crypto: VaultCrypto;
	keys: Pick<ProfileKeyRing, 'get'>;
	userKeyPair: CryptoKeyPair;
	profileId: string;
	userId: string;
	now: () => number;
	// As for an invite: the new key is wrapped only for keys this device has seen for each member.
	checkKey?: (member: ProfileMember) => Promise<void>;
}): Promise<{ currentKeyVersion: number; adopted: boolean }> {
	const { members, currentKeyVersion } = await api.listMembers(profileId);
	const target = members.find((member) => member.userId === userId && !member.revokedAt);
	if (!target) throw new SharingError('That person is not a member of this patient.');
	if (target.role === 'owner') throw new SharingError('The owner cannot be removed.');

	const profileKey = await crypto.generateProfileKey({ version: currentKeyVersion + 1 });
	const remaining = members.filter((member) => !member.revokedAt && member.userId !== userId);
	for (const member of remaining) await checkKey(member);
	const body: RevokeMemberRequest = {
		keyVersion: profileKey.version,
		keys: await Promise.all(
			remaining.map(async (member) => ({
				userId: member.userId,
				wrappedProfileKey: toBase64Url(
					await crypto.wrapProfileKey({
						profileKey,
						profileId,
						recipientPublicKey: await importPublicKey(member.publicKey)
					})
				)
			}))
		)
	};
	const answer = await api.revokeMember(profileId, userId, body);

	// This device's copy is wrapped for the key pair in memory rather than taken from the list,
	// so the row never depends on which listed member the server says is us. If adopting fails
	// here (records kept changing), the revocation still stands and the next sync follows it.
	const wrappedProfileKey = await crypto.wrapProfileKey({
		profileKey,
		profileId,
		recipientPublicKey: userKeyPair.publicKey
	});
	const adopted = await adoptKeyVersion({
		db,
		crypto,
		profileId,
		profileKey,
		wrappedProfileKey,
		openKey: (version) => keys.get(profileId, version),
		now
	}).catch(() => false);
	return { currentKeyVersion: answer.currentKeyVersion, adopted };
}
