import type { Table } from 'dexie';
import { readEnvelopeKeyVersion, type ProfileKey } from '../../crypto/index.ts';
import type { ImportRow, ImportState } from '../../db/index.ts';
import type { Extraction } from '../../shared/extraction/index.ts';
import { openImportResult } from '../import-result.ts';

export type ReviewLoad =
	| { status: 'missing' }
	// Not ready yet, or failed: the imports list shows its progress and Retry / Delete.
	| { status: 'waiting'; state: ImportState }
	| { status: 'accepted' }
	| { status: 'ready'; row: ImportRow; extraction: Extraction };

// One import's extraction, opened for review. The result is sealed under the profile key of the
// version that sealed it, which a key rotation since then does not change.
export async function loadReview({
	imports,
	keyFor,
	profileId,
	importId
}: {
	imports: Table<ImportRow, string>;
	keyFor: (keyVersion: number) => Promise<ProfileKey>;
	profileId: string;
	importId: string;
}): Promise<ReviewLoad> {
	const row = await imports.get(importId);
	if (!row || row.profileId !== profileId) return { status: 'missing' };
	if (row.state === 'accepted') return { status: 'accepted' };
	if (row.state !== 'ready' || !row.sealedResult) return { status: 'waiting', state: row.state };
	const sealed = row.sealedResult;
	const profileKey = await keyFor(readEnvelopeKeyVersion(sealed));
	const { extraction } = await openImportResult({ profileKey, profileId, importId, sealed });
	return { status: 'ready', row, extraction };
}
