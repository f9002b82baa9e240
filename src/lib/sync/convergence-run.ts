import {
	canonicalJson,
	isDeleted,
	listConflicts,
	mergeRecords,
	readRecord,
	type StoredRecord
} from '../shared/records/index.ts';
import type { ProfileMembership, ProfilesResponse } from '../shared/profiles.ts';
import type { Mutation, PullResponse, PushResponse } from '../shared/sync.ts';
import { createWriteHistory } from './convergence-history.ts';
import { CLIENTS, EDITS, type Op, type Scenario } from './convergence-ops.ts';
import { createServerStandIn } from './convergence-server.ts';
import { createSimulatedNetwork, MessageLost } from './simulated-network.ts';

// Runs one convergence scenario (issue 4) against replicas of one kind — the real vault and sync
// client (convergence-device.ts) or the protocol model (convergence-model.ts) — and checks what
// the issue asks: after the network heals and everyone syncs, every replica holds the same
// records, equal to what the server's log merges to, and no write is lost (convergence-history.ts).

// One client's line to the server, through the simulated network.
export interface Link {
	createProfile(body: { profileId: string; wrappedProfileKey: string }): ProfileMembership;
	listProfiles(): ProfilesResponse;
	push(body: { clientId: string; mutations: Mutation[] }): PushResponse;
	pull(query: { cursor: string; limit: number }): PullResponse;
	// Something went wrong on the line other than the network losing a message: a bug, reported
	// here because the client would take any exception in fetch for a network failure.
	fail(error: unknown): void;
}

export interface Replica {
	readonly nodeId: string;
	// The records this client holds (not the profile's own patient record), sorted.
	ids(): Promise<string[]>;
	// A record as stored, merged: fields with stamps, conflicts, `seen`.
	read(id: string): Promise<StoredRecord | undefined>;
	// A record as the pages get it, and the records the record list shows (not deleted).
	view(id: string): Promise<{ data: unknown; conflicts: unknown; deleted: boolean } | undefined>;
	listed(): Promise<string[]>;
	create(id: string): Promise<void>;
	edit(id: string, field: string, value: string | undefined): Promise<void>;
	setDeleted(id: string, deleted: boolean): Promise<void>;
	// Keep the value written at `hlc` of a conflicted field.
	resolve(id: string, field: string, hlc: string): Promise<void>;
	// One sync run; rejects with the network's MessageLost (possibly wrapped) when it failed.
	sync(): Promise<void>;
	pending(): Promise<number>;
	// Other records the replicas must agree on (the profile's patient record), read as stored.
	extraIds(): Promise<string[]>;
	close(): Promise<void>;
}

export interface ReplicaOptions {
	index: number;
	nodeId: string;
	link: Link;
	now: () => number;
	newId: () => string;
}

// Opens a run's replicas one after another, the first before anyone syncs (it may make the
// profile the others then pull).
export type OpenReplica = (options: ReplicaOptions) => Promise<Replica>;

// How a failed sync surfaced: the backend says whether `error` is the network failing (expected
// here) rather than anything else (a bug).
export type IsNetworkFailure = (error: unknown) => boolean;

export interface RunStats {
	writes: number;
	offlineWrites: number;
	conflicts: number;
	deletedRecords: number;
	records: number;
	faults: Record<string, number>;
}

const BASE_TIME = 1_700_000_000_000;

export async function runScenario({
	scenario,
	openReplica,
	isNetworkFailure,
	decodeChange
}: {
	scenario: Scenario;
	openReplica: OpenReplica;
	isNetworkFailure: IsNetworkFailure;
	// The record a logged change carries (the server only holds ciphertext).
	decodeChange: (change: PullResponse['changes'][number]) => Promise<StoredRecord>;
}): Promise<RunStats> {
	const server = createServerStandIn();
	const network = createSimulatedNetwork({ seed: scenario.networkSeed });
	const history = createWriteHistory();
	let ids = 0;
	// Deterministic uuids (mutation and profile ids), so a seed replays the same run.
	const newId = () => `00000000-0000-4000-8000-${(++ids).toString(16).padStart(12, '0')}`;

	const clients = Array.from({ length: CLIENTS }, (_, index) => ({
		index,
		nodeId: `node-${index}`,
		online: true,
		time: BASE_TIME + (scenario.skews[index] ?? 0)
	}));
	const violations: unknown[] = [];
	const linkOf = (client: (typeof clients)[number]): Link => {
		const send = <T>(deliver: () => T): T => {
			if (!client.online) throw new MessageLost('offline');
			try {
				return network.send(deliver);
			} catch (error) {
				if (!(error instanceof MessageLost)) violations.push(error);
				throw error;
			}
		};
		return {
			createProfile: (body) => send(() => server.createProfile(body)),
			listProfiles: () => send(() => server.listProfiles()),
			push(body) {
				const stored = history.sending(client.index, body.mutations);
				const answer = send(() => {
					const answer = server.push(body.mutations);
					for (const result of answer.results) {
						if (result.status === 'applied') stored(result.mutationId);
					}
					return answer;
				});
				// Acknowledged means stored: the client drops its outbox rows on this answer.
				for (const result of answer.results) {
					const kept = result.status === 'rejected' || server.log[result.seq - 1];
					if (kept !== true && kept?.mutationId !== result.mutationId) {
						violations.push(new Error(`${result.mutationId} was acknowledged but not stored`));
					}
				}
				return answer;
			},
			pull(query) {
				const page = send(() => server.pull(query));
				history.pulled(client.index, page.changes);
				return page;
			},
			fail: (error) => violations.push(error)
		};
	};
	const assertNoViolation = () => {
		if (violations.length > 0) throw violations[0];
	};

	network.heal();
	const replicas: Replica[] = [];
	try {
		for (const client of clients) {
			replicas.push(
				await openReplica({
					index: client.index,
					nodeId: client.nodeId,
					link: linkOf(client),
					now: () => client.time,
					newId
				})
			);
		}
		const stats: RunStats = {
			writes: 0,
			offlineWrites: 0,
			conflicts: 0,
			deletedRecords: 0,
			records: 0,
			faults: network.counts
		};
		let records = 0;

		async function write(client: number, id: string, action: () => Promise<void>) {
			const replica = replicas[client]!;
			await action();
			const stamp = history.wrote(client, replica.nodeId, id, await replica.read(id));
			if (stamp === undefined) return;
			stats.writes++;
			if (!clients[client]!.online) stats.offlineWrites++;
		}

		async function sync(client: number) {
			try {
				await replicas[client]!.sync();
			} catch (error) {
				if (!isNetworkFailure(error)) throw error;
			}
		}

		async function apply(op: Op) {
			const replica = replicas[op.client]!;
			const client = clients[op.client]!;
			if (op.type === 'tick') {
				client.time += op.ms;
			} else if (op.type === 'create') {
				const id = `rec-${records++}`;
				await write(op.client, id, () => replica.create(id));
			} else if (op.type === 'sync') {
				await sync(op.client);
			} else if (op.type === 'offline') {
				client.online = false;
			} else if (op.type === 'online') {
				// Coming back online triggers a sync, as the `online` event does in the app.
				client.online = true;
				await sync(op.client);
			} else {
				const held = await replica.ids();
				if (held.length === 0) return;
				const id = held[op.record % held.length]!;
				if (op.type === 'edit') {
					const value = EDITS[op.field][op.value % EDITS[op.field].length];
					await write(op.client, id, () => replica.edit(id, op.field, value));
				} else if (op.type === 'delete') {
					await write(op.client, id, () => replica.setDeleted(id, op.deleted));
				} else {
					const doc = await replica.read(id);
					const field =
						doc &&
						listConflicts(doc)
							.map((c) => c.field)
							.sort()[0];
					if (!doc || !field) return;
					const choices = [
						doc.fields[field]!.hlc,
						...doc.conflicts.filter((c) => c.field === field).map((c) => c.hlc)
					].sort();
					const keep = choices[op.choice % choices.length]!;
					await write(op.client, id, () => replica.resolve(id, field, keep));
				}
			}
		}

		// Set-up on a healed network: two records everyone holds.
		for (let i = 0; i < 2; i++) {
			const id = `rec-${records++}`;
			await write(0, id, () => replicas[0]!.create(id));
		}
		for (let round = 0; round < 2; round++) for (const i of clients.keys()) await sync(i);
		network.breakAgain();

		for (const op of scenario.ops) {
			for (const client of clients) client.time += 1;
			await apply(op);
			assertNoViolation();
		}

		// The network heals: late messages arrive, everyone is online and syncs, then pulls once
		// more for what the others pushed after it.
		network.heal();
		for (const client of clients) client.online = true;
		for (let round = 0; round < 2; round++) {
			for (const i of clients.keys()) await replicas[i]!.sync();
		}
		assertNoViolation();

		const problems: string[] = [];
		for (const [i, replica] of replicas.entries()) {
			const pending = await replica.pending();
			if (pending > 0) problems.push(`client ${i} still has ${pending} changes to push`);
		}
		const everyId = new Set<string>();
		for (const replica of replicas) {
			for (const id of [...(await replica.ids()), ...(await replica.extraIds())]) everyId.add(id);
		}
		for (const change of server.log) everyId.add(change.entityId);
		const listed = await Promise.all(replicas.map(async (r) => new Set(await r.listed())));
		for (const id of [...everyId].sort()) {
			const copies = await Promise.all(replicas.map((replica) => replica.read(id)));
			const json = copies.map((doc) => (doc ? canonicalJson(doc) : 'missing'));
			for (const [i, copy] of json.entries()) {
				if (copy !== json[0]) problems.push(`${id}: client ${i} differs from client 0`);
			}
			let logged: StoredRecord | undefined;
			for (const change of server.log.filter((c) => c.entityId === id)) {
				const remote = await decodeChange(change);
				logged = logged ? mergeRecords(logged, remote) : remote;
			}
			if (!logged || canonicalJson(logged) !== json[0]) {
				problems.push(`${id}: client 0 differs from the merge of the server's log`);
			}
			const doc = copies[0];
			if (!doc) continue;
			if (id.startsWith('rec-')) {
				problems.push(...history.check(id, doc));
				const expected = canonicalJson({
					data: readRecord(doc),
					conflicts: listConflicts(doc),
					deleted: isDeleted(doc)
				});
				for (const [i, replica] of replicas.entries()) {
					if (canonicalJson(await replica.view(id)) !== expected) {
						problems.push(`${id}: client ${i} shows something else than it stores`);
					}
					if (listed[i]!.has(id) === isDeleted(doc)) {
						problems.push(`${id}: client ${i} lists it wrongly for its deletion`);
					}
				}
			}
			stats.records++;
			stats.conflicts += listConflicts(doc).length;
			if (isDeleted(doc)) stats.deletedRecords++;
		}
		if (problems.length > 0) {
			throw new Error(`Replicas did not converge:\n${problems.slice(0, 20).join('\n')}`);
		}
		return stats;
	} finally {
		for (const replica of replicas) await replica.close();
	}
}
