import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateUserKeyPair, unwrapProfileKey, type CryptoKeyPair } from '../crypto/index.ts';
import { declareUserDbSchema, type UserDb } from '../db/index.ts';
import { createClock } from '../hlc/index.ts';
import type { Change, Mutation, PushResult } from '../shared/sync.ts';
import {
	isDeleted,
	listConflicts,
	mergeRecords,
	readRecord,
	type StoredRecord
} from '../shared/records/index.ts';
import { createVault, defaultVaultCrypto } from '../vault/index.ts';
import { openChange } from './open-change.ts';
import { createSyncClient } from './create-sync-client.ts';

// Convergence (issue 4, "Must show"): clients edit, delete and sync over a network that drops
// requests, loses answers, duplicates and delays (reorders) messages; after the network heals and
// everyone syncs, every replica holds the same records. Real vaults, crypto, IndexedDB
// (fake-indexeddb) and sync client; the server is an in-memory stand-in for the sync routes.

const CLIENTS = 5;
const RECORDS = ['rec-a', 'rec-b', 'rec-c'];
const USER = '00000000-0000-4000-8000-000000000001';
const glucose = {
	category: 'laboratory' as const,
	code: { code: '2345-7', display: 'Glucose' },
	value: { type: 'quantity' as const, value: 5.4, unit: 'mmol/L' },
	effectiveDateTime: '2024-03-15T08:10+00:00'
};

type Fault = 'none' | 'drop-request' | 'drop-answer' | 'duplicate' | 'delay';

function createServer() {
	const profiles = new Map<string, string>();
	const log: Change[] = [];
	const seqById = new Map<string, number>();
	const json = (body: unknown, status = 200) =>
		new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

	function handle(method: string, url: URL, body: unknown): Response {
		if (url.pathname === '/v1/profiles' && method === 'POST') {
			const { profileId, wrappedProfileKey } = body as Record<string, string>;
			profiles.set(profileId!, profiles.get(profileId!) ?? wrappedProfileKey!);
			return json(membership(profileId!), 201);
		}
		if (url.pathname === '/v1/profiles') {
			return json({ profiles: [...profiles.keys()].map(membership) });
		}
		if (url.pathname === '/v1/sync/push') {
			const results: PushResult[] = (body as { mutations: Mutation[] }).mutations.map((m) => {
				const seen = seqById.get(m.mutationId);
				if (seen !== undefined) return { mutationId: m.mutationId, status: 'duplicate', seq: seen };
				const seq = log.length + 1;
				seqById.set(m.mutationId, seq);
				log.push({ ...m, seq, authorId: USER, serverTime: new Date(0).toISOString() });
				return { mutationId: m.mutationId, status: 'applied', seq };
			});
			return json({ results });
		}
		const from = Number(url.searchParams.get('cursor') || 0);
		const limit = Number(url.searchParams.get('limit'));
		const changes = log.slice(from, from + limit);
		return json({
			changes,
			cursor: String(from + changes.length),
			hasMore: from + changes.length < log.length
		});
	}
	const membership = (profileId: string) => ({
		profileId,
		role: 'owner',
		currentKeyVersion: 1,
		keys: [{ keyVersion: 1, wrappedProfileKey: profiles.get(profileId) }]
	});
	return { handle, log };
}

async function openClient(
	index: number,
	keyPair: CryptoKeyPair,
	server: ReturnType<typeof createServer>
) {
	const db = new Dexie(`charta-user-sim-${index}`, {
		indexedDB: new IDBFactory(),
		IDBKeyRange
	}) as UserDb;
	declareUserDbSchema(db);
	let time = 1_700_000_000_000;
	const now = () => time;
	const clock = createClock({ nodeId: `node-${index}`, now });
	const net = { fault: 'none' as Fault, delayed: [] as (() => void)[] };
	const fetch: typeof globalThis.fetch = async (input, init) => {
		const url = new URL(String(input), 'http://sim');
		const method = init?.method ?? 'GET';
		const body = init?.body ? JSON.parse(String(init.body)) : undefined;
		const isSync = url.pathname.startsWith('/v1/sync/');
		const fault = isSync ? net.fault : 'none';
		if (isSync) net.fault = 'none';
		if (fault === 'drop-request') throw new TypeError('dropped');
		if (fault === 'delay') {
			net.delayed.push(() => void server.handle(method, url, body));
			throw new TypeError('timed out');
		}
		const response = server.handle(method, url, body);
		if (fault === 'duplicate') return server.handle(method, url, body);
		if (fault === 'drop-answer') throw new TypeError('answer lost');
		return response;
	};
	const vault = createVault({
		db,
		userKeyPair: keyPair,
		clock,
		now,
		newId: () => crypto.randomUUID()
	});
	const sync = createSyncClient({ db, userKeyPair: keyPair, clock, fetch, now, autoRetry: false });
	return { db, vault, sync, net, advance: (ms: number) => (time += ms) };
}

const Op = fc.oneof(
	fc.record({
		type: fc.constant('edit' as const),
		client: fc.nat(CLIENTS - 1),
		record: fc.constantFrom(...RECORDS),
		field: fc.constantFrom('note', 'interpretation'),
		value: fc.nat(2),
		ms: fc.nat(3)
	}),
	fc.record({
		type: fc.constant('delete' as const),
		client: fc.nat(CLIENTS - 1),
		record: fc.constantFrom(...RECORDS),
		restore: fc.boolean()
	}),
	fc.record({
		type: fc.constant('sync' as const),
		client: fc.nat(CLIENTS - 1),
		// 10 % each of the faults, as issue 4 asks; the rest clean.
		fault: fc.constantFrom<Fault>(
			'drop-request',
			'drop-answer',
			'duplicate',
			'delay',
			...Array<Fault>(6).fill('none')
		)
	}),
	fc.record({ type: fc.constant('deliver' as const), client: fc.nat(CLIENTS - 1) })
);

describe('convergence', () => {
	it('brings every replica to the same records after random edits over a faulty network', async () => {
		const keyPair = await generateUserKeyPair();
		let run = 0;
		await fc.assert(
			fc.asyncProperty(fc.array(Op, { minLength: 10, maxLength: 40 }), async (ops) => {
				run++;
				const server = createServer();
				const clients = await Promise.all(
					Array.from({ length: CLIENTS }, (_, i) => openClient(run * 10 + i, keyPair, server))
				);
				try {
					const [first] = clients;
					const profileId = await first!.vault.createProfile({
						name: { given: ['Sim'], family: 'Patient' },
						birthDate: '1980-01-01',
						sex: 'female'
					});
					for (const id of RECORDS) {
						await first!.vault.saveRecord({ profileId, kind: 'observation', id, data: glucose });
					}
					for (const client of clients) await client.sync.syncNow();

					for (const op of ops) {
						const client = clients[op.client]!;
						if (op.type === 'edit') {
							client.advance(op.ms);
							const current = await client.vault.getRecord(op.record);
							const data = current && 'data' in current ? current.data : glucose;
							const value =
								op.field === 'note' ? `note ${op.value}` : (['N', 'H', 'L'] as const)[op.value];
							await client.vault.saveRecord({
								profileId,
								kind: 'observation',
								id: op.record,
								data: { ...(data as typeof glucose), [op.field]: value }
							});
						} else if (op.type === 'delete') {
							await (op.restore ? client.vault.restoreRecord : client.vault.deleteRecord)(
								op.record
							);
						} else if (op.type === 'sync') {
							client.net.fault = op.fault;
							await client.sync.syncNow().catch(() => {});
						} else {
							client.net.delayed.shift()?.();
						}
					}

					// The network heals: late messages arrive, everyone syncs, then pulls once more.
					for (const client of clients) for (const deliver of client.net.delayed) deliver();
					for (const client of clients) await client.sync.syncNow();
					for (const client of clients) await client.sync.syncNow();

					const replicas = await Promise.all(
						clients.map(async (client) => {
							expect(await client.db.outbox.count()).toBe(0);
							const records = await Promise.all(
								[profileId, ...RECORDS].map(async (id) => {
									const record = await client.vault.getRecord(id);
									if (!record || !('data' in record)) return record;
									const { updatedAt: _updatedAt, ...rest } = record;
									return rest;
								})
							);
							return records;
						})
					);
					for (const replica of replicas.slice(1)) expect(replica).toEqual(replicas[0]);

					// No write lost: each record is the merge of every state any client pushed.
					const profile = (await first!.db.profiles.get(profileId))!;
					const profileKey = await unwrapProfileKey({
						wrapped: profile.wrappedProfileKey,
						profileId,
						keyVersion: 1,
						recipient: keyPair
					});
					const expected = await Promise.all(
						[profileId, ...RECORDS].map(async (id) => {
							let doc: StoredRecord | undefined;
							for (const change of server.log.filter((c) => c.entityId === id)) {
								const remote = await openChange({ crypto: defaultVaultCrypto, profileKey, change });
								doc = doc ? mergeRecords(doc, remote) : remote;
							}
							return {
								id,
								profileId,
								kind: doc!.kind,
								data: readRecord(doc!),
								conflicts: listConflicts(doc!),
								deleted: isDeleted(doc!)
							};
						})
					);
					expect(replicas[0]).toEqual(expected);
				} finally {
					for (const client of clients) {
						client.sync.destroy();
						client.vault.close();
						client.db.close();
					}
				}
			}),
			{
				numRuns: Number(process.env.CONVERGENCE_RUNS ?? 25),
				// fast-check prints the seed and the shrunk operations of a failing run.
				verbose: 1
			}
		);
	}, 60_000);
});
