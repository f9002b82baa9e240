import { parseRecord, stampRecord, type RecordInput } from '../shared/records/index.ts';
import { storageError } from './commit-change.ts';
import { sealRecord } from './record-envelope.ts';
import type { VaultContext } from './vault-context.ts';
import { outboxEntry } from './write-record.ts';

// A new patient profile: a fresh profile key (version 1) wrapped for the user's own public key,
// the patient sealed as the profile's own record (its id is the profile's), and its outbox row,
// in one transaction. The extractable key made here is not kept; reads unwrap their own copy.
export async function createProfile(
	ctx: VaultContext,
	patient: RecordInput<'patient'>
): Promise<string> {
	const { db, crypto } = ctx;
	const data = await parseRecord('patient', patient);
	const profileId = ctx.newId();
	const profileKey = await crypto.generateProfileKey({ version: 1 });
	const wrappedProfileKey = await crypto.wrapProfileKey({
		profileKey,
		profileId,
		recipientPublicKey: ctx.userKeyPair.publicKey
	});
	const doc = stampRecord({ kind: 'patient', data, clock: ctx.clock });
	const target = { id: profileId, profileId, kind: 'patient' as const };
	const envelope = await sealRecord({ crypto, profileKey, row: target, doc });
	const updatedAt = ctx.now();
	const row = { ...target, keyVersion: profileKey.version, envelope, updatedAt, deleted: false };
	try {
		await db.transaction('rw', db.profiles, db.profileRecords, db.outbox, async () => {
			await db.profiles.add({
				id: profileId,
				keyVersion: profileKey.version,
				wrappedProfileKey,
				updatedAt,
				deleted: false,
				role: 'owner'
			});
			await db.profileRecords.add(row);
			await db.outbox.add(outboxEntry(ctx, row, updatedAt));
		});
	} catch (error) {
		throw storageError(error);
	}
	return profileId;
}
