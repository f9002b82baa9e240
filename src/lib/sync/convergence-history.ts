import { canonicalJson, type StoredRecord } from '../shared/records/index.ts';
import type { Change, Mutation } from '../shared/sync.ts';

// The convergence tests' account of who saw what, kept beside the system under test and
// independent of its `seen` stamps: which writes each client's copy of each record has taken
// in (its own, and those inside every change it pulled), and so which writes a client had seen
// when it wrote. A write may vanish from a record only when a later write to the same field
// was made by a client that had seen it ("superseded"); anything else missing is a lost write.

interface Write {
	client: number;
	entityId: string;
	// Field → value (JSON) written with this write's stamp.
	values: Map<string, string>;
	// Every write the writing client's copy had taken in when it wrote.
	past: ReadonlySet<string>;
}

type Entry = { field: string; value: unknown; hlc: string };

const entriesOf = (doc: StoredRecord): Entry[] => [
	...Object.entries(doc.fields).map(([field, { value, hlc }]) => ({ field, value, hlc })),
	...doc.conflicts
];

export function createWriteHistory() {
	const writes = new Map<string, Write>();
	const copies = new Map<string, Set<string>>();
	const inChange = new Map<string, ReadonlySet<string>>();

	const copyOf = (client: number, entityId: string) => {
		const key = `${client}/${entityId}`;
		let copy = copies.get(key);
		if (!copy) copies.set(key, (copy = new Set()));
		return copy;
	};

	return {
		writes: writes as ReadonlyMap<string, Write>,

		// After a write on `client`: `after` is the record as stored then. Returns the write's
		// stamp, or undefined when it changed nothing (its newest own stamp is known already).
		wrote(
			client: number,
			nodeId: string,
			entityId: string,
			after: StoredRecord | undefined
		): string | undefined {
			const stamp = after?.seen[nodeId];
			if (!after || stamp === undefined || writes.has(stamp)) return undefined;
			for (const { hlc } of entriesOf(after)) {
				if (hlc > stamp) throw new Error(`write ${stamp} on ${entityId} is not after ${hlc}`);
			}
			const values = new Map(
				Object.entries(after.fields)
					.filter(([, entry]) => entry.hlc === stamp)
					.map(([field, { value }]) => [field, canonicalJson(value)])
			);
			if (values.size === 0) throw new Error(`write ${stamp} on ${entityId} wrote no field`);
			const copy = copyOf(client, entityId);
			writes.set(stamp, { client, entityId, values, past: new Set(copy) });
			copy.add(stamp);
			return stamp;
		},

		// Called as a push leaves the client: what each mutation's record has taken in by now.
		// Returns what to call when the server has stored one (the first copy to arrive counts).
		sending(client: number, mutations: readonly Mutation[]) {
			const taken = new Map(
				mutations.map((m) => [m.mutationId, new Set(copyOf(client, m.entityId))] as const)
			);
			return (mutationId: string) => {
				if (!inChange.has(mutationId)) inChange.set(mutationId, taken.get(mutationId)!);
			};
		},

		// Changes that reached `client` in a pull answer (they are applied with their cursor).
		pulled(client: number, changes: readonly Change[]): void {
			for (const change of changes) {
				const copy = copyOf(client, change.entityId);
				for (const stamp of inChange.get(change.mutationId) ?? []) copy.add(stamp);
			}
		},

		// Problems with the converged record `doc` (the same on every replica by now).
		check(entityId: string, doc: StoredRecord): string[] {
			const problems: string[] = [];
			const entries = entriesOf(doc);
			const byField = new Map<string, Entry[]>();
			for (const entry of entries) {
				byField.set(entry.field, [...(byField.get(entry.field) ?? []), entry]);
				const write = writes.get(entry.hlc);
				if (write?.entityId !== entityId || write.values.get(entry.field) === undefined) {
					problems.push(`${entityId}.${entry.field} holds ${entry.hlc}, which nobody wrote`);
				} else if (write.values.get(entry.field) !== canonicalJson(entry.value)) {
					problems.push(`${entityId}.${entry.field} holds a wrong value for ${entry.hlc}`);
				}
			}
			for (const [field, held] of byField) {
				const shown = doc.fields[field];
				if (shown && held.some((entry) => entry.hlc > shown.hlc)) {
					problems.push(`${entityId}.${field} shows ${shown.hlc}, not its newest value`);
				}
				for (const a of held) {
					for (const b of held) {
						if (a !== b && writes.get(b.hlc)?.past.has(a.hlc)) {
							problems.push(`${entityId}.${field} keeps ${a.hlc}, overwritten by ${b.hlc}`);
						}
					}
				}
			}
			for (const [stamp, write] of writes) {
				if (write.entityId !== entityId) continue;
				for (const field of write.values.keys()) {
					const kept = (byField.get(field) ?? []).some(
						(entry) => entry.hlc === stamp || writes.get(entry.hlc)?.past.has(stamp)
					);
					if (!kept) {
						problems.push(
							`${entityId}.${field}: write ${stamp} of client ${write.client} was lost`
						);
					}
				}
			}
			return problems;
		}
	};
}

export type WriteHistory = ReturnType<typeof createWriteHistory>;
