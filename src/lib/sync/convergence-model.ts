import {
	isDeleted,
	latestStamp,
	listConflicts,
	mergeRecords,
	readRecord,
	setDeleted,
	stampRecord,
	writeFields,
	type StoredRecord
} from '../shared/records/index.ts';
import { createClock } from '../hlc/index.ts';
import { MAX_PUSH_MUTATIONS, type Mutation } from '../shared/sync.ts';
import type { Replica, ReplicaOptions } from './convergence-run.ts';

// A model of one device for the full-scale convergence property (convergence.test.ts): the REAL
// record functions (stampRecord, setDeleted, writeFields, mergeRecords, isDeleted) and the REAL
// hybrid logical clock, with IndexedDB, the envelopes and HTTP replaced by maps and JSON, so
// 200+ runs of 5 clients × 200 operations fit in CI. It follows push-outbox.ts, pull-changes.ts
// and apply-changes.ts step by step, but it is a copy: what it leaves out — Dexie transactions
// and their stale-read retries, sealing and opening, profile registration and keys, the wire
// schemas — is covered by convergence-devices.test.ts, the same scenarios on the real stack.
//
// Writes: the record and one outbox row naming it change together. Push: batches of at most
// 500 rows; an entity with several rows goes once, as its record is now, under its newest row's
// mutationId; "applied" or "duplicate" removes all its rows of that batch. Pull: pages from the
// cursor; each change merges into the stored copy (the clock receives its newest stamp) and the
// page's cursor is kept with it.

const MODEL_PROFILE_ID = '00000000-0000-4000-8000-00000000cafe';

const observation = (index: number) => ({
	category: 'laboratory',
	status: 'final',
	code: { system: 'http://loinc.org', code: '2345-7', display: 'Glucose' },
	value: { type: 'quantity', value: 5.4 + index, unit: 'mmol/L' },
	effectiveDateTime: '2024-03-15T08:10+00:00'
});

export async function openModelReplica({
	nodeId,
	link,
	now,
	newId
}: ReplicaOptions): Promise<Replica> {
	const clock = createClock({ nodeId, now });
	const records = new Map<string, StoredRecord>();
	let outbox: { mutationId: string; entityId: string }[] = [];
	let cursor = '';

	function write(id: string, update: (base: StoredRecord | undefined) => StoredRecord) {
		const base = records.get(id);
		const doc = update(base);
		if (doc === base) return;
		records.set(id, doc);
		outbox.push({ mutationId: newId(), entityId: id });
	}

	function push() {
		for (;;) {
			const rows = outbox.slice(0, MAX_PUSH_MUTATIONS);
			if (rows.length === 0) return;
			const newest = new Map<string, string>();
			for (const row of rows) newest.set(row.entityId, row.mutationId);
			const mutations: Mutation[] = [...newest].map(([entityId, mutationId]) => {
				const doc = records.get(entityId)!;
				return {
					mutationId,
					profileId: MODEL_PROFILE_ID,
					entityId,
					kind: 'record',
					keyVersion: 1,
					// JSON stands in for the envelope; nothing is shared between replicas.
					ciphertext: JSON.stringify(doc),
					deleted: isDeleted(doc)
				};
			});
			const { results } = link.push({ clientId: nodeId, mutations });
			const done = new Set(
				results
					.filter((r) => r.status === 'applied' || r.status === 'duplicate')
					.map((r) => r.mutationId)
			);
			const sent = new Set(rows);
			const acknowledged = new Set(
				rows.filter((row) => done.has(newest.get(row.entityId)!)).map((row) => row.entityId)
			);
			outbox = outbox.filter((row) => !(sent.has(row) && acknowledged.has(row.entityId)));
			if (rows.length < MAX_PUSH_MUTATIONS) return;
		}
	}

	function pull() {
		for (;;) {
			const page = link.pull({ cursor, limit: 500 });
			for (const change of page.changes) {
				// Written by this model's own JSON.stringify, so not validated again.
				const remote = JSON.parse(change.ciphertext) as StoredRecord;
				const stamp = latestStamp(remote);
				if (stamp !== undefined) clock.receive(stamp);
				const local = records.get(change.entityId);
				records.set(change.entityId, local ? mergeRecords(local, remote) : remote);
			}
			cursor = page.cursor;
			if (!page.hasMore) return;
		}
	}

	return {
		nodeId,
		ids: async () => [...records.keys()].sort(),
		read: async (id) => records.get(id),
		async view(id) {
			const doc = records.get(id);
			return (
				doc && { data: readRecord(doc), conflicts: listConflicts(doc), deleted: isDeleted(doc) }
			);
		},
		listed: async () => [...records].filter(([, doc]) => !isDeleted(doc)).map(([id]) => id),
		async create(id) {
			const data = observation(Number(id.replace(/\D/g, '')) % 4);
			write(id, () => stampRecord({ kind: 'observation', data, clock }));
		},
		async edit(id, field, value) {
			write(id, (base) =>
				stampRecord({
					kind: 'observation',
					data: { ...readRecord(base!), [field]: value },
					clock,
					base
				})
			);
		},
		async setDeleted(id, deleted) {
			write(id, (base) => setDeleted({ doc: base!, deleted, clock }));
		},
		async resolve(id, field, hlc) {
			write(id, (base) => {
				const chosen = [base!.fields[field], ...base!.conflicts].find(
					(entry) => entry?.hlc === hlc
				);
				return writeFields({ doc: base!, values: { [field]: chosen!.value }, clock });
			});
		},
		async sync() {
			push();
			pull();
		},
		pending: async () => outbox.length,
		extraIds: async () => [],
		close: async () => {}
	};
}
