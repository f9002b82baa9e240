import type { AnalysisRecordInput } from '../shared/analyses.ts';
import { ANALYSABLE_KINDS } from '../shared/analyses.ts';
import type { RecordData } from '../shared/records/index.ts';
import type { AnyVaultRecord, RecordListItem } from '../vault/vault-types.ts';

type Analysable = AnyVaultRecord<(typeof ANALYSABLE_KINDS)[number]>;

const analysable = (item: RecordListItem): item is Analysable =>
	'data' in item && (ANALYSABLE_KINDS as readonly string[]).includes(item.kind);

/** The records an analysis could be sent, readable ones only. */
export function analysableRecords(items: readonly RecordListItem[]): Analysable[] {
	return items.filter(analysable);
}

/**
 * Minimum necessary: what the summary is about (lab results) and what it checks them against
 * (medicines, allergies). The person adds or removes the rest.
 */
export function defaultSelection(items: readonly RecordListItem[]): Set<string> {
	return new Set(
		analysableRecords(items)
			.filter(
				(item) =>
					(item.kind === 'observation' &&
						(item.data as RecordData<'observation'>).category === 'laboratory') ||
					item.kind === 'medication-statement' ||
					item.kind === 'allergy-intolerance'
			)
			.map((item) => item.id)
	);
}

/** The chosen records as POST /v1/analyses takes them, in the order given. */
export function toAnalysisRecords(
	items: readonly RecordListItem[],
	ids: readonly string[]
): AnalysisRecordInput[] {
	const byId = new Map(analysableRecords(items).map((item) => [item.id, item]));
	return ids.flatMap((id) => {
		const item = byId.get(id);
		return item ? [{ kind: item.kind, id: item.id, data: item.data } as AnalysisRecordInput] : [];
	});
}
