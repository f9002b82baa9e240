import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { unwrapProfileKey, type CryptoKeyPair, type ProfileKey } from '../crypto/index.ts';
import { declareUserDbSchema, recordKey, type UserDb } from '../db/index.ts';
import { createClock } from '../hlc/index.ts';
import { NetworkError } from '../http/api-errors.ts';
import { CreateProfileRequest } from '../shared/profiles.ts';
import type { StoredRecord } from '../shared/records/index.ts';
import { PushRequest, type Change } from '../shared/sync.ts';
import { createVault, defaultVaultCrypto } from '../vault/index.ts';
import { openRecord } from '../vault/record-envelope.ts';
import type { Link, Replica, ReplicaOptions } from './convergence-run.ts';
import { createSyncClient } from './create-sync-client.ts';
import { openChange } from './open-change.ts';
import { MessageLost } from './simulated-network.ts';

// One real device for the convergence tests: the vault, its envelopes (WebCrypto), IndexedDB
// (fake-indexeddb, a fresh factory per device) and the sync client, talking to the server
// stand-in through `fetch` over the simulated network. What the test reads back it decrypts
// from the stored rows.

const observation = (index: number) => ({
	category: 'laboratory' as const,
	code: { code: '2345-7', display: 'Glucose' },
	value: { type: 'quantity' as const, value: 5.4 + index, unit: 'mmol/L' },
	effectiveDateTime: '2024-03-15T08:10+00:00'
});

// What the devices of one run share: the user's key pair (made once per test file: generating
// one per run would only test key generation) and the profile the first device makes.
export interface DeviceRun {
	keyPair: CryptoKeyPair;
	profile?: { id: string; key: ProfileKey };
}

export const isNetworkFailure = (error: unknown) => error instanceof NetworkError;

const json = (body: unknown, status = 200) =>
	new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

// The sync routes as HTTP, over `link`: what the real client's fetch reaches.
function fetchOver(link: Link): typeof globalThis.fetch {
	function answer(method: string, url: URL, body: unknown): Response {
		const route = `${method} ${url.pathname}`;
		if (route === 'POST /v1/profiles') {
			return json(link.createProfile(CreateProfileRequest.parse(body)), 201);
		}
		if (route === 'GET /v1/profiles') return json(link.listProfiles());
		if (route === 'POST /v1/sync/push') return json(link.push(PushRequest.parse(body)));
		if (route === 'GET /v1/sync/pull') {
			const cursor = url.searchParams.get('cursor') ?? '';
			return json(link.pull({ cursor, limit: Number(url.searchParams.get('limit')) }));
		}
		throw new Error(`No route ${route}`);
	}
	return async (input, init) => {
		try {
			const body: unknown = init?.body ? JSON.parse(String(init.body)) : undefined;
			return answer(init?.method ?? 'GET', new URL(String(input), 'http://simulated'), body);
		} catch (error) {
			if (!(error instanceof MessageLost)) link.fail(error);
			throw error;
		}
	};
}

export function deviceOpener(run: DeviceRun) {
	return async ({ index, nodeId, link, now, newId }: ReplicaOptions): Promise<Replica> => {
		const db = new Dexie(`charta-convergence-${index}`, {
			indexedDB: new IDBFactory(),
			IDBKeyRange
		}) as UserDb;
		declareUserDbSchema(db);
		const clock = createClock({ nodeId, now });
		const userKeyPair = run.keyPair;
		const vault = createVault({ db, userKeyPair, clock, now, newId });
		const sync = createSyncClient({
			db,
			userKeyPair,
			clock,
			fetch: fetchOver(link),
			now,
			autoRetry: false
		});

		if (!run.profile) {
			const id = await vault.createProfile({
				name: { given: ['Sim'], family: 'Patient' },
				birthDate: '1980-01-01',
				sex: 'female'
			});
			const { wrappedProfileKey } = (await db.profiles.get(id))!;
			const recipient = userKeyPair;
			const key = await unwrapProfileKey({
				wrapped: wrappedProfileKey,
				profileId: id,
				keyVersion: 1,
				recipient
			});
			run.profile = { id, key };
		}
		const profile = run.profile;

		const ref = (id: string) => ({ profileId: profile.id, id });
		async function read(id: string): Promise<StoredRecord | undefined> {
			const row = await db.profileRecords.get(recordKey(ref(id)));
			return row && openRecord({ crypto: defaultVaultCrypto, profileKey: profile.key, row });
		}

		return {
			nodeId,
			async ids() {
				const keys = await db.profileRecords.toCollection().primaryKeys();
				return keys
					.map(([, id]) => id)
					.filter((id) => id !== profile.id)
					.sort();
			},
			read,
			async view(id) {
				const record = await vault.getRecord(ref(id));
				if (!record || !('data' in record)) return undefined;
				const { data, conflicts, deleted } = record;
				return { data, conflicts, deleted };
			},
			async listed() {
				const records = await vault.listRecords(profile.id);
				return records.map((record) => record.id);
			},
			async create(id) {
				const data = observation(Number(id.replace(/\D/g, '')) % 4);
				await vault.saveRecord({ profileId: profile.id, kind: 'observation', id, data });
			},
			async edit(id, field, value) {
				const current = await vault.getRecord(ref(id));
				if (!current || !('data' in current) || current.kind !== 'observation') {
					throw new Error(`${id} is not a readable observation`);
				}
				await vault.saveRecord({
					profileId: profile.id,
					kind: 'observation',
					id,
					data: { ...current.data, [field]: value }
				});
			},
			async setDeleted(id, deleted) {
				await (deleted ? vault.deleteRecord(ref(id)) : vault.restoreRecord(ref(id)));
			},
			async resolve(id, field, keep) {
				await vault.resolveConflict({ ...ref(id), field, keep });
			},
			async sync() {
				await sync.syncNow();
			},
			pending: async () => (await sync.refresh()).pending,
			extraIds: async () => [profile.id],
			async close() {
				sync.destroy();
				vault.close();
				db.close();
			}
		};
	};
}

// The record inside a logged change, opened as the client opens pulled changes.
export function changeDecoder(run: DeviceRun) {
	return (change: Change) =>
		openChange({ crypto: defaultVaultCrypto, profileKey: run.profile!.key, change });
}
