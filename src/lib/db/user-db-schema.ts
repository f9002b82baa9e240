import type { Dexie, Transaction } from 'dexie';
import { readEnvelopeKeyVersion } from '../crypto/index.ts';

// Each version lists only the tables it changes; Dexie carries the rest forward. Never edit a
// shipped version: add the next one with an upgrade, or devices holding data in the old shape
// can no longer open it.
//
// Plaintext columns are ids, kinds, key versions, timestamps and booleans only. Everything a
// person typed is inside `envelope` (records, outbox) — see docs/ARCHITECTURE.md.
export const USER_DB_V1 = {
	profiles: 'id',
	records: 'id, [profileId+kind], [profileId+updatedAt]',
	outbox: '++seq, &mutationId, profileId, entityId',
	settings: 'key'
};

// v2: records carry the key version their envelope was sealed under, indexed per profile, so
// rotating a profile key (issue 4, revocation) can find what is still under an old version
// without decrypting everything.
export const USER_DB_V2 = {
	records: 'id, [profileId+kind], [profileId+updatedAt], [profileId+keyVersion]'
};

export const USER_DB_VERSION = 2;

// Rows whose envelope header cannot be read keep this version, so a re-encryption pass finds
// them and the upgrade never fails on one damaged row.
export const UNKNOWN_KEY_VERSION = -1;

export function envelopeKeyVersion(envelope: unknown): number {
	if (!(envelope instanceof Uint8Array)) return UNKNOWN_KEY_VERSION;
	try {
		return readEnvelopeKeyVersion(envelope);
	} catch {
		return UNKNOWN_KEY_VERSION;
	}
}

async function backfillKeyVersions(tx: Transaction): Promise<void> {
	await tx
		.table('records')
		.toCollection()
		.modify((row: { envelope?: unknown; keyVersion?: number }) => {
			row.keyVersion = envelopeKeyVersion(row.envelope);
		});
}

export function declareUserDbSchema(db: Dexie, upTo: 1 | 2 = USER_DB_VERSION): void {
	db.version(1).stores(USER_DB_V1);
	if (upTo >= 2) db.version(2).stores(USER_DB_V2).upgrade(backfillKeyVersions);
}
