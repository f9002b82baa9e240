import type { RecordData } from '../../shared/records/index.ts';
import type { RecordListItem, Vault } from '../../vault/index.ts';

// Both ends of Observation.derivedFrom for a record's page: the document an observation was
// read from, and the observations read from a document. A document's are found by reading the
// profile's observations: the link is inside the sealed record, so there is no index to ask.

// title null: the link names a document this device does not hold (deleted, or not synced yet).
export type DocumentLink = { id: string; title: string | null } | null;
export type DerivedObservation = { id: string; data: RecordData<'observation'> };

export async function sourceDocument(
	vault: Pick<Vault, 'getRecord'>,
	{ profileId, observation }: { profileId: string; observation: RecordData<'observation'> }
): Promise<DocumentLink> {
	const link = observation.derivedFrom;
	if (!link) return null;
	const found = await vault.getRecord({ profileId, id: link.id });
	if (!found || !('data' in found) || found.kind !== 'document-reference' || found.deleted) {
		return { id: link.id, title: null };
	}
	return { id: found.id, title: found.data.title };
}

export async function derivedObservations(
	vault: Pick<Vault, 'listRecords'>,
	{ profileId, documentId }: { profileId: string; documentId: string }
): Promise<DerivedObservation[]> {
	const items: RecordListItem[] = await vault.listRecords(profileId, { kind: 'observation' });
	return items
		.flatMap((item) =>
			'data' in item && item.kind === 'observation' && item.data.derivedFrom?.id === documentId
				? [{ id: item.id, data: item.data }]
				: []
		)
		.sort((a, b) => a.data.code.display.localeCompare(b.data.code.display));
}
