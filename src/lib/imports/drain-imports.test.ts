import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	createClientAccount,
	derivePasswordKeys,
	signupBody
} from '../../../tests/helpers/auth-client.ts';
import { storeKinds } from '../../../tests/helpers/databases.ts';
import { deviceFetch } from '../../../tests/helpers/device-fetch.ts';
import { createApp, type App } from '../../../sync-server/src/app.ts';
import { createLogger } from '../../../sync-server/src/logger.ts';
import { migrate } from '../../../sync-server/src/store/migrate.ts';
import type { Store } from '../../../sync-server/src/store/store.ts';
import {
	AttachmentRefusedError,
	type uploadAttachment as uploadAttachmentReal
} from '../attachments/index.ts';
import {
	exportPublicKey,
	generateProfileKey,
	generateUserKeyPair,
	readEnvelopeKeyVersion
} from '../crypto/index.ts';
import { ApiRequestError } from '../http/api-errors.ts';
import { declareUserDbSchema, type ImportRow, type UserDb } from '../db/index.ts';
import { createClock } from '../hlc/index.ts';
import type { SessionResponse } from '../shared/auth.ts';
import { createSyncClient, type SyncClient } from '../sync/index.ts';
import { createVault, type Vault } from '../vault/index.ts';
import { addReport } from './add-report.ts';
import { drainImports } from './drain-imports.ts';
import { createHandedKeys } from './handed-keys.ts';
import { openImportResult } from './import-result.ts';

// The queue's drain against the real server on PGlite (attachments, POST /v1/imports, the sealed
// event stream, the local provider) with a device's real Dexie (fake-indexeddb) and WebCrypto:
// what the service worker runs, minus the worker.

const migrationsDir = new URL('../../../supabase/migrations', import.meta.url).pathname;
const report = readFileSync(
	new URL('../../../tests/fixtures/lab-reports/diabetes-renal.txt', import.meta.url)
);
const pglite = storeKinds.find((kind) => kind.name === 'pglite')!;

describe('draining the import queue', { timeout: 30_000 }, () => {
	let store: Store;
	let dispose: () => Promise<void>;
	let app: App;
	let db: UserDb;
	let vault: Vault;
	let sync: SyncClient;
	let net: ReturnType<typeof deviceFetch>;
	let profileId: string;
	const keys = createHandedKeys();

	beforeAll(async () => {
		({ store, dispose } = await pglite.open());
		await migrate(store, migrationsDir);
		app = createApp({
			store,
			version: 'test',
			logger: createLogger('silent'),
			auth: { secret: new Uint8Array(32).fill(7), trustedProxyHops: 1 },
			events: { heartbeatMs: 100 }
		});
		net = deviceFetch(app);
		const account = await createClientAccount(await derivePasswordKeys('queue password'));
		const keyPair = await generateUserKeyPair();
		const signup = await net.fetch('/v1/auth/signup', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(
				signupBody(account, `queue-${randomUUID().slice(0, 8)}@example.org`, {
					publicKey: await exportPublicKey(keyPair.publicKey, 'jwk')
				})
			)
		});
		expect(signup.status).toBe(201);
		const { user } = (await signup.json()) as SessionResponse;
		db = new Dexie(`charta-user-${user.id}`, {
			indexedDB: new IDBFactory(),
			IDBKeyRange
		}) as UserDb;
		declareUserDbSchema(db);
		const clock = createClock({ nodeId: 'queue-device', now: Date.now });
		vault = createVault({ db, userKeyPair: keyPair, clock, fetch: net.fetch });
		sync = createSyncClient({
			db,
			userKeyPair: keyPair,
			clock,
			fetch: net.fetch,
			autoRetry: false
		});
		profileId = await vault.createProfile({ name: { given: ['Gareth'], family: 'Williams' } });
		await sync.syncNow();
		const key = await vault.profileKeyFor(profileId, 1);
		keys.replace([{ profileId, version: key.version, key: key.key }]);
	}, 60_000);
	afterAll(async () => {
		sync?.destroy();
		await dispose?.();
	});

	const add = (bytes: Uint8Array, name = 'diabetes review.txt', type = 'text/plain') =>
		vault.profileKeyFor(profileId, 1).then((profileKey) =>
			addReport({
				db,
				vault,
				profileKey,
				profileId,
				file: { name, type, size: bytes.length, bytes: async () => new Uint8Array(bytes) }
			})
		);

	const drain = (fetch = net.fetch) =>
		drainImports({
			db,
			fetch,
			profileKey: keys.get,
			hasKeys: keys.has,
			reconnectDelayMs: () => 0
		});

	/** Records each state the row is written with, in order. */
	function recordStates(importId: string) {
		const seen: string[] = [];
		const record = (row: ImportRow) => {
			if (row.id !== importId) return;
			const label = ['uploading', 'extracting'].includes(row.state)
				? `${row.state} ${row.percent}`
				: row.state;
			if (seen.at(-1) !== label) seen.push(label);
		};
		const onCreate = (_key: unknown, row: ImportRow) => record(row);
		const onUpdate = (changes: object, _key: unknown, row: ImportRow) =>
			record({ ...row, ...changes });
		db.imports.hook('creating', onCreate);
		db.imports.hook('updating', onUpdate);
		return {
			seen,
			stop() {
				db.imports.hook('creating').unsubscribe(onCreate);
				db.imports.hook('updating').unsubscribe(onUpdate);
			}
		};
	}

	it('uploads the original, extracts it through a stream that drops, and keeps the result sealed', async () => {
		const queued = await add(report);
		expect(queued.state).toBe('queued');
		const document = await vault.getRecord({ profileId, id: queued.documentId });
		expect(document && 'data' in document && document.data).toMatchObject({
			title: 'diabetes review',
			contentType: 'text/plain',
			size: report.length,
			attachmentId: queued.attachmentId
		});

		// The event stream is cut after its first event, once: the drain resumes from it.
		let cut = false;
		const dropping: typeof globalThis.fetch = async (input, init) => {
			const response = await net.fetch(input, init);
			if (cut || !String(input).endsWith('/events')) return response;
			cut = true;
			const reader = response.body!.getReader();
			const lastEventIds: string[] = [];
			return new Response(
				new ReadableStream({
					async pull(controller) {
						const { value, done } = await reader.read();
						if (done) return controller.close();
						controller.enqueue(value);
						const text = new TextDecoder().decode(value);
						if (/^id: /m.test(text)) {
							lastEventIds.push(text);
							await reader.cancel();
							controller.error(new TypeError('network error'));
						}
					}
				}),
				{ status: response.status, headers: response.headers }
			);
		};
		const before = net.state.requests.length;
		expect(await drain(dropping)).toBe('done');
		expect(cut).toBe(true);

		const row = (await db.imports.get(queued.id))!;
		expect(row).toMatchObject({ state: 'ready', percent: 100 });
		const requests = net.state.requests.slice(before);
		expect(requests.filter((r) => r.startsWith('POST /v1/imports'))).toHaveLength(1);
		expect(requests.filter((r) => r.endsWith('/events'))).toHaveLength(2);
		expect((await db.attachments.get(queued.attachmentId))?.state).toBe('uploaded');

		const result = await openImportResult({
			profileKey: await vault.profileKeyFor(profileId, 1),
			profileId,
			importId: queued.id,
			sealed: row.sealedResult!
		});
		expect(result.extraction.results.map((r) => r.code.code)).toContain('59261-8');
	});

	it('keeps an import queued while offline, then drains it with progress when back', async () => {
		const queued = await add(report);
		net.state.offline = true;
		expect(await drain()).toBe('offline');
		expect((await db.imports.get(queued.id))?.state).toBe('queued');
		net.state.offline = false;

		const states = recordStates(queued.id);
		expect(await drain()).toBe('done');
		states.stop();
		expect(states.seen[0]).toBe('uploading 0');
		expect(states.seen).toContain('uploading 100');
		expect(states.seen.filter((label) => label.startsWith('extracting')).length).toBeGreaterThan(1);
		expect(states.seen.at(-1)).toBe('ready');
	});

	it('starts the job again when the server no longer knows it', async () => {
		const queued = await add(report);
		const gone = '00000000-0000-4000-8000-000000000000';
		// As if the server restarted after the job was posted: the stored job id is unknown now.
		let posted = false;
		const forgetful: typeof globalThis.fetch = async (input, init) => {
			if (!posted && String(input).endsWith('/v1/imports') && init?.method === 'POST') {
				posted = true;
				const response = await net.fetch(input, init);
				await response.body?.cancel();
				return Response.json({ jobId: gone }, { status: 202 });
			}
			return net.fetch(input, init);
		};
		expect(await drain(forgetful)).toBe('done');
		expect((await db.imports.get(queued.id))?.state).toBe('ready');
	});

	it('fails an import the server refuses, with its reason, and Retry can be drained again', async () => {
		const queued = await add(report);
		const refusing: typeof globalThis.fetch = async (input, init) =>
			String(input).endsWith('/v1/imports') && init?.method === 'POST'
				? Response.json(
						{ error: { code: 'type_mismatch', message: 'Refused by the server.' } },
						{ status: 415 }
					)
				: net.fetch(input, init);
		expect(await drain(refusing)).toBe('done');
		const failed = (await db.imports.get(queued.id)) as ImportRow;
		expect(failed).toMatchObject({
			state: 'failed',
			error: { code: 'type_mismatch', message: 'Refused by the server.' }
		});
	});

	it('leaves imports whose profile key was not handed over waiting', async () => {
		const queued = await add(report);
		const locked = createHandedKeys();
		expect(
			await drainImports({ db, fetch: net.fetch, profileKey: locked.get, hasKeys: locked.has })
		).toBe('waiting');
		expect((await db.imports.get(queued.id))?.state).toBe('queued');
		expect(await drain()).toBe('done');
	});
	it('seals the file again under the new key when a rotation made the upload stale', async () => {
		const queued = await add(report);
		// Another device removed a member meanwhile: this device now holds key version 2.
		const current = await vault.profileKeyFor(profileId, 1);
		const rotated = await generateProfileKey({ version: 2 });
		await db.profiles.update(profileId, { keyVersion: 2 });
		const handed = createHandedKeys();
		handed.replace([
			{ profileId, version: 1, key: current.key },
			{ profileId, version: 2, key: rotated.key }
		]);
		const versionsSent: number[][] = [];
		const uploadAttachment: typeof uploadAttachmentReal = async ({ attachmentId }) => {
			const chunks = await db.attachmentChunks
				.where('[attachmentId+index]')
				.between([attachmentId, 0], [attachmentId, Dexie.maxKey])
				.toArray();
			versionsSent.push(chunks.map((chunk) => readEnvelopeKeyVersion(chunk.envelope)));
			if (versionsSent.length === 1) {
				throw new AttachmentRefusedError(
					new ApiRequestError(409, 'stale_key_version', 'Key version 1 is no longer current.')
				);
			}
		};
		try {
			expect(
				await drainImports({
					db,
					fetch: net.fetch,
					profileKey: handed.get,
					hasKeys: handed.has,
					uploadAttachment,
					reconnectDelayMs: () => 0
				})
			).toBe('done');
			expect(versionsSent).toEqual([[1], [2]]);
			const row = (await db.imports.get(queued.id))!;
			expect(row.state).toBe('ready');
			const result = await openImportResult({
				profileKey: rotated,
				profileId,
				importId: queued.id,
				sealed: row.sealedResult!
			});
			expect(result.extraction.results.length).toBeGreaterThan(0);
		} finally {
			await db.profiles.update(profileId, { keyVersion: 1 });
		}
	});
	it('asks for the cloud provider only for profiles the page vouched consent for', async () => {
		const sent: (string | null)[] = [];
		const watching: typeof globalThis.fetch = async (input, init) => {
			if (String(input).endsWith('/v1/imports') && init?.body instanceof FormData) {
				sent.push(init.body.get('processing') as string | null);
			}
			return net.fetch(input, init);
		};
		const local = await add(report);
		expect(await drain(watching)).toBe('done');
		expect((await db.imports.get(local.id))?.state).toBe('ready');

		const cloud = await add(report);
		const handed = createHandedKeys();
		const key = await vault.profileKeyFor(profileId, 1);
		handed.replace([{ profileId, version: 1, key: key.key }], [profileId]);
		await drainImports({
			db,
			fetch: watching,
			profileKey: handed.get,
			hasKeys: handed.has,
			processing: handed.processing,
			reconnectDelayMs: () => 0
		});
		expect(sent).toEqual([null, 'cloud']);
		// This server has no cloud provider configured: it refuses, and the import says why.
		expect(await db.imports.get(cloud.id)).toMatchObject({
			state: 'failed',
			error: { code: 'invalid_request' }
		});
	});
});
