import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
	AttachmentCorruptError,
	AttachmentNetworkError,
	AttachmentRefusedError,
	deleteAttachment,
	readAttachment,
	resealAttachment,
	storeAttachment,
	uploadAttachment
} from '../../src/lib/attachments/index.ts';
import {
	containsMarker,
	markedFile,
	PLAINTEXT_MARKER,
	sameBytes
} from '../../src/lib/attachments/test-file.ts';
import {
	exportPublicKey,
	generateUserKeyPair,
	type CryptoKeyPair
} from '../../src/lib/crypto/index.ts';
import { declareUserDbSchema, type UserDb } from '../../src/lib/db/index.ts';
import { createClock } from '../../src/lib/hlc/index.ts';
import { ApiErrorBody } from '../../src/lib/shared/api-error.ts';
import {
	ATTACHMENT_SEALED_CHUNK_BYTES,
	AttachmentStatus
} from '../../src/lib/shared/attachments.ts';
import type { SessionResponse } from '../../src/lib/shared/auth.ts';
import { createSharing, type Sharing } from '../../src/lib/sharing/index.ts';
import { createSyncClient, type SyncClient } from '../../src/lib/sync/index.ts';
import { createVault, type Vault } from '../../src/lib/vault/index.ts';
import { createApp, type App } from '../../sync-server/src/app.ts';
import { createLogger } from '../../sync-server/src/logger.ts';
import { migrate } from '../../sync-server/src/store/migrate.ts';
import type { Store } from '../../sync-server/src/store/store.ts';
import { createChangeFeed, type ChangeFeed } from '../../sync-server/src/sync/change-feed.ts';
import { createClientAccount, derivePasswordKeys, signupBody } from '../helpers/auth-client.ts';
import { storeKinds } from '../helpers/databases.ts';
import { deviceFetch } from '../helpers/device-fetch.ts';

// A document's original file end to end: real devices (fake-indexeddb, vault, sync and sharing
// clients, WebCrypto) against the in-process server on PGlite and on PostgreSQL. The owner
// uploads in chunks through a connection that drops; members read it back; everyone else is
// refused; bad chunks are refused and change nothing; the server holds ciphertext only.

const migrationsDir = new URL('../../supabase/migrations', import.meta.url).pathname;
const patient = { name: { given: ['Attila'], family: 'Chunkworth' }, birthDate: '1960-05-01' };

interface Device {
	userId: string;
	email: string;
	db: UserDb;
	vault: Vault;
	sync: SyncClient;
	sharing: Sharing;
	fetch: typeof globalThis.fetch;
	net: ReturnType<typeof deviceFetch>['state'];
}

/** What one upload attempt sent: the index of every chunk PUT, and whether it reached the server. */
interface Attempt {
	puts: number[];
}

/**
 * The device's fetch, recording each chunk PUT, that drops the connection (as a browser's fetch
 * fails offline) once `okPuts` chunks went through: the next PUT never reaches the server.
 */
function recordingFetch(device: Device, okPuts = Infinity) {
	const attempt: Attempt = { puts: [] };
	const fetch: typeof globalThis.fetch = async (input, init) => {
		const match = /\/chunks\/(\d+)\?/.exec(String(input));
		if (init?.method === 'PUT' && match) {
			if (attempt.puts.length >= okPuts) throw new TypeError('fetch failed (connection dropped)');
			attempt.puts.push(Number(match[1]));
		}
		return device.fetch(input, init);
	};
	return { fetch, attempt };
}

const base = (profileId: string, attachmentId: string) =>
	`/v1/profiles/${profileId}/attachments/${attachmentId}`;

/** Bytes shaped like a sealed chunk under `keyVersion`; the server reads only the header. */
function sealedLike(keyVersion: number, length = 1_000): Uint8Array<ArrayBuffer> {
	const bytes = new Uint8Array(length);
	bytes.set(randomBytes(length));
	bytes[0] = 1;
	new DataView(bytes.buffer).setUint32(1, keyVersion);
	return bytes;
}

describe.each(storeKinds)('a document’s original file, on $name', ({ available, open }) => {
	let store: Store;
	let dispose: () => Promise<void>;
	let feed: ChangeFeed;
	let app: App;
	let owner: Device;
	let editor: Device;
	let viewer: Device;
	let leaver: Device;
	let stranger: Device;
	let profileId: string;
	const file = markedFile(600_000);
	const fileSha256 = createHash('sha256').update(file).digest('hex');
	const attachmentId: string = randomUUID();
	const devices: Device[] = [];

	async function signUp(name: string): Promise<Device> {
		const account = await createClientAccount(await derivePasswordKeys(`${name} password`));
		const keyPair: CryptoKeyPair = await generateUserKeyPair();
		const email = `${name}-${randomUUID().slice(0, 8)}@example.org`;
		const { fetch, state } = deviceFetch(app);
		const response = await fetch('/v1/auth/signup', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(
				signupBody(account, email, { publicKey: await exportPublicKey(keyPair.publicKey, 'jwk') })
			)
		});
		expect(response.status).toBe(201);
		const { user } = (await response.json()) as SessionResponse;
		const db = new Dexie(`charta-user-${user.id}`, {
			indexedDB: new IDBFactory(),
			IDBKeyRange
		}) as UserDb;
		declareUserDbSchema(db);
		let time = 1_700_000_000_000;
		const now = () => (time += 1_000);
		const clock = createClock({ nodeId: `${name}-device`, now });
		const device: Device = {
			userId: user.id,
			email,
			db,
			vault: createVault({ db, userKeyPair: keyPair, clock, now, fetch }),
			sync: createSyncClient({
				db,
				userKeyPair: keyPair,
				clock,
				fetch,
				now,
				random: () => 0.5,
				autoRetry: false
			}),
			sharing: createSharing({ db, userKeyPair: keyPair, fetch, now }),
			fetch,
			net: state
		};
		devices.push(device);
		return device;
	}

	const read = (
		device: Device,
		id = attachmentId,
		fetch = device.fetch,
		sha256 = id === attachmentId ? fileSha256 : undefined
	) =>
		readAttachment({
			db: device.db,
			fetch,
			profileId,
			attachmentId: id,
			sha256,
			profileKey: (version) => device.vault.profileKeyFor(profileId, version)
		});

	/** `bytes` stored on `device` as attachment `id` of a new document, under key version 1. */
	const storeFile = async (device: Device, id: string, bytes: Uint8Array) =>
		storeAttachment({
			db: device.db,
			profileKey: await device.vault.profileKeyFor(profileId, 1),
			profileId,
			documentId: randomUUID(),
			attachmentId: id,
			bytes
		});

	const status = (device: Device, id = attachmentId) =>
		device.fetch(base(profileId, id), { headers: { accept: 'application/json' } });

	const put = (
		device: Device | { fetch: typeof globalThis.fetch },
		{
			id = attachmentId,
			index = 0,
			count = 1,
			keyVersion = 2,
			body = sealedLike(keyVersion),
			contentType = 'application/octet-stream',
			profile = profileId
		}: {
			id?: string;
			index?: number | string;
			count?: number;
			keyVersion?: number;
			body?: Uint8Array<ArrayBuffer>;
			contentType?: string;
			profile?: string;
		} = {}
	) =>
		device.fetch(`${base(profile, id)}/chunks/${index}?count=${count}&keyVersion=${keyVersion}`, {
			method: 'PUT',
			headers: { 'content-type': contentType },
			body
		});

	async function errorCode(response: Response) {
		return { status: response.status, code: ApiErrorBody.parse(await response.json()).error.code };
	}

	const serverChunks = async (id = attachmentId) =>
		store.query<{ chunk_index: number; copies: number }>(
			`select chunk_index, count(*)::int as copies from charta.attachment_chunks
			 where attachment_id = $1 group by chunk_index order by chunk_index`,
			[id]
		);
	const chunkRows = async () =>
		Number(
			(
				await store.query<{ n: number }>(`select count(*)::int as n from charta.attachment_chunks`)
			)[0]!.n
		);

	beforeAll(async () => {
		if (!available) return;
		({ store, dispose } = await open());
		await migrate(store, migrationsDir);
		feed = createChangeFeed({ store });
		app = createApp({
			store,
			version: 'test',
			logger: createLogger('silent'),
			auth: { secret: new Uint8Array(32).fill(5) },
			events: { feed, heartbeatMs: 1_000 }
		});
		owner = await signUp('owner');
		editor = await signUp('editor');
		viewer = await signUp('viewer');
		leaver = await signUp('leaver');
		stranger = await signUp('stranger');

		profileId = await owner.vault.createProfile(patient);
		expect(await owner.sync.syncNow()).toMatchObject({ state: 'synced', pending: 0 });
		await owner.sharing.inviteMember({ profileId, email: editor.email, role: 'editor' });
		await owner.sharing.inviteMember({ profileId, email: viewer.email, role: 'viewer' });
		await owner.sharing.inviteMember({ profileId, email: leaver.email, role: 'editor' });
		for (const member of [editor, viewer, leaver]) {
			expect(await member.sync.syncNow()).toMatchObject({ state: 'synced', rejected: 0 });
		}
	});

	afterAll(async () => {
		for (const device of devices) {
			device.sync.destroy();
			device.vault.close();
			device.db.close();
		}
		await feed?.close();
		await dispose?.();
	});

	beforeEach((context) => {
		if (!available) context.skip('PostgreSQL is not reachable');
	});

	it('the owner uploads a 600 KB file; after a drop the retry sends only the chunks that were missing', async () => {
		const { attachment, sha256 } = await storeFile(owner, attachmentId, file);
		expect(sha256).toBe(fileSha256);
		expect(attachment.chunkCount).toBe(3);

		// The connection drops after the first chunk.
		const first = recordingFetch(owner, 1);
		const progress: number[] = [];
		await expect(
			uploadAttachment({
				db: owner.db,
				fetch: first.fetch,
				attachmentId,
				onProgress: (sent) => progress.push(sent)
			})
		).rejects.toBeInstanceOf(AttachmentNetworkError);
		expect(first.attempt.puts).toEqual([0]);
		expect(await owner.db.attachments.get(attachmentId)).toMatchObject({
			state: 'local',
			uploadedChunks: 1
		});
		expect(await serverChunks()).toEqual([{ chunk_index: 0, copies: 1 }]);

		// Back online: the retry starts at the chunk it stopped at.
		const second = recordingFetch(owner);
		const sizes: [number, number][] = [];
		await uploadAttachment({
			db: owner.db,
			fetch: second.fetch,
			attachmentId,
			onProgress: (sent, total) => sizes.push([sent, total])
		});
		expect(second.attempt.puts).toEqual([1, 2]);
		expect(progress).toEqual([0, 262_144]);
		expect(sizes).toEqual([
			[262_144, 600_000],
			[524_288, 600_000],
			[600_000, 600_000]
		]);
		expect(await owner.db.attachments.get(attachmentId)).toMatchObject({
			state: 'uploaded',
			uploadedChunks: 3
		});
		expect(await serverChunks()).toEqual([0, 1, 2].map((i) => ({ chunk_index: i, copies: 1 })));

		// Once uploaded, nothing more is sent.
		const third = recordingFetch(owner);
		await uploadAttachment({ db: owner.db, fetch: third.fetch, attachmentId });
		expect(third.attempt.puts).toEqual([]);
	});

	it('a chunk whose answer was lost is not sent again, nor stored twice', async () => {
		const id = randomUUID();
		await storeFile(owner, id, markedFile(300_000));
		// The second chunk reaches the server, but its answer never comes back.
		const lossy: typeof globalThis.fetch = async (input, init) => {
			const response = await owner.fetch(input, init);
			if (init?.method === 'PUT' && String(input).includes('/chunks/1?')) {
				throw new TypeError('fetch failed (the answer was lost)');
			}
			return response;
		};
		await expect(
			uploadAttachment({ db: owner.db, fetch: lossy, attachmentId: id })
		).rejects.toBeInstanceOf(AttachmentNetworkError);
		expect(await owner.db.attachments.get(id)).toMatchObject({ uploadedChunks: 1 });
		const retry = recordingFetch(owner);
		await uploadAttachment({ db: owner.db, fetch: retry.fetch, attachmentId: id });
		expect(retry.attempt.puts).toEqual([]);
		expect(await serverChunks(id)).toEqual([0, 1].map((i) => ({ chunk_index: i, copies: 1 })));
		expect(await owner.db.attachments.get(id)).toMatchObject({ state: 'uploaded' });
	});

	it('an editor reads the same bytes back (SHA-256 checked), and later offline from the device', async () => {
		const bytes = await read(editor);
		expect(createHash('sha256').update(bytes).digest('hex')).toBe(fileSha256);
		expect(sameBytes(bytes, file)).toBe(true);
		expect(await editor.db.attachments.get(attachmentId)).toMatchObject({
			profileId,
			state: 'remote',
			chunkCount: 3,
			size: 600_000
		});

		const offline: typeof globalThis.fetch = () => Promise.reject(new TypeError('offline'));
		expect(sameBytes(await read(editor, attachmentId, offline), file)).toBe(true);
	});

	it('a download cut off after the first chunk goes on from there, and keeps the file once it is whole', async () => {
		const gets: number[] = [];
		const cutAfter = (okGets: number): typeof globalThis.fetch => {
			let done = 0;
			return async (input, init) => {
				const match = /\/chunks\/(\d+)$/.exec(String(input));
				if (match && (init?.method ?? 'GET') === 'GET') {
					if (done++ >= okGets) throw new TypeError('fetch failed (connection dropped)');
					gets.push(Number(match[1]));
				}
				return viewer.fetch(input, init);
			};
		};
		await expect(read(viewer, attachmentId, cutAfter(1))).rejects.toBeInstanceOf(
			AttachmentNetworkError
		);
		expect(gets).toEqual([0]);
		// Not kept as a file yet: only the chunk that came, still sealed.
		expect(await viewer.db.attachments.get(attachmentId)).toBeUndefined();
		expect(await viewer.db.attachmentChunks.count()).toBe(1);

		gets.length = 0;
		const progress: [number, number][] = [];
		const bytes = await readAttachment({
			db: viewer.db,
			fetch: cutAfter(Infinity),
			profileId,
			attachmentId,
			sha256: fileSha256,
			profileKey: (version) => viewer.vault.profileKeyFor(profileId, version),
			onProgress: (received, total) => progress.push([received, total])
		});
		expect(gets).toEqual([1, 2]);
		expect(progress).toEqual([
			[1, 3],
			[2, 3],
			[3, 3]
		]);
		expect(sameBytes(bytes, file)).toBe(true);
		expect(await viewer.db.attachments.get(attachmentId)).toMatchObject({
			state: 'remote',
			chunkCount: 3
		});
	});

	it('a download that does not match its record is dropped whole, and the next one starts afresh', async () => {
		const id = randomUUID();
		const bytes = markedFile(300_000);
		await storeFile(owner, id, bytes);
		await uploadAttachment({ db: owner.db, fetch: owner.fetch, attachmentId: id });
		const chunksHeld = () =>
			viewer.db.attachmentChunks
				.where('[attachmentId+index]')
				.between([id, 0], [id, Infinity])
				.count();

		// The record names another file: every chunk opens, the whole does not match.
		await expect(read(viewer, id, viewer.fetch, '0'.repeat(64))).rejects.toBeInstanceOf(
			AttachmentCorruptError
		);
		expect(await viewer.db.attachments.get(id)).toBeUndefined();
		expect(await chunksHeld()).toBe(0);

		const gets: number[] = [];
		const recording: typeof globalThis.fetch = (input, init) => {
			const match = /\/chunks\/(\d+)$/.exec(String(input));
			if (match) gets.push(Number(match[1]));
			return viewer.fetch(input, init);
		};
		const sha256 = createHash('sha256').update(bytes).digest('hex');
		expect(sameBytes(await read(viewer, id, recording, sha256), bytes)).toBe(true);
		expect(gets).toEqual([0, 1]);
		expect(await chunksHeld()).toBe(2);
	});

	it('a viewer reads the file but cannot add one', async () => {
		expect(sameBytes(await read(viewer), file)).toBe(true);

		const id = randomUUID();
		await storeFile(viewer, id, markedFile(1_000));
		const refusal = await uploadAttachment({
			db: viewer.db,
			fetch: viewer.fetch,
			attachmentId: id
		}).then(
			() => null,
			(error: unknown) => error
		);
		expect(refusal).toBeInstanceOf(AttachmentRefusedError);
		expect(refusal).toMatchObject({ status: 403, code: 'read_only' });
		expect(await serverChunks(id)).toEqual([]);
		expect(await viewer.db.attachments.get(id)).toMatchObject({
			state: 'local',
			uploadedChunks: 0
		});
	});

	it('after a rotation: a revoked member and a stranger get 404, an anonymous caller 401, and a chunk sealed under the old key is refused', async () => {
		const before = randomUUID();
		await storeFile(owner, before, markedFile(1_000));
		expect(await owner.sharing.revokeMember({ profileId, userId: leaver.userId })).toMatchObject({
			currentKeyVersion: 2
		});

		for (const outsider of [leaver, stranger]) {
			expect(await errorCode(await status(outsider))).toEqual({
				status: 404,
				code: 'profile_not_found'
			});
			expect(
				await errorCode(await outsider.fetch(`${base(profileId, attachmentId)}/chunks/0`))
			).toEqual({ status: 404, code: 'profile_not_found' });
			expect(await errorCode(await put(outsider, { id: randomUUID() }))).toEqual({
				status: 404,
				code: 'profile_not_found'
			});
			await expect(read(outsider)).rejects.toMatchObject({
				status: 404,
				code: 'profile_not_found'
			});
		}
		const anonymous = deviceFetch(app);
		// Before anything else is read, even ids that are not uuids.
		expect(await errorCode(await anonymous.fetch(base('me', 'file-1')))).toEqual({
			status: 401,
			code: 'unauthenticated'
		});
		expect(await errorCode(await anonymous.fetch(base(profileId, attachmentId)))).toEqual({
			status: 401,
			code: 'unauthenticated'
		});
		expect(
			await errorCode(await anonymous.fetch(`${base(profileId, attachmentId)}/chunks/0`))
		).toEqual({ status: 401, code: 'unauthenticated' });
		expect(await errorCode(await put(anonymous, { id: randomUUID() }))).toEqual({
			status: 401,
			code: 'unauthenticated'
		});

		// Sealed under version 1 before the rotation, sent after it: refused, nothing stored.
		await expect(
			uploadAttachment({ db: owner.db, fetch: owner.fetch, attachmentId: before })
		).rejects.toMatchObject({ status: 409, code: 'stale_key_version' });
		expect(await serverChunks(before)).toEqual([]);

		// Sealed again under the current key, it goes through and opens for the editor.
		await resealAttachment({
			db: owner.db,
			attachmentId: before,
			profileKey: await owner.vault.profileKeyFor(profileId, 2),
			openKey: (version) => owner.vault.profileKeyFor(profileId, version)
		});
		await uploadAttachment({ db: owner.db, fetch: owner.fetch, attachmentId: before });
		expect(await serverChunks(before)).toEqual([{ chunk_index: 0, copies: 1 }]);

		// The editor follows the rotation and still opens the file sealed under version 1, with
		// that version's key from the server, after clearing the device's copy.
		await editor.sync.syncNow();
		expect(await editor.db.profiles.get(profileId)).toMatchObject({ keyVersion: 2 });
		await deleteAttachment({ db: editor.db, attachmentId });
		expect(await editor.db.attachmentChunks.count()).toBe(0);
		expect(sameBytes(await read(editor), file)).toBe(true);
		expect(sameBytes(await read(editor, before), markedFile(1_000))).toBe(true);
	});

	it('refuses bad chunks with the specific 4xx in the error envelope, and stores nothing', async () => {
		const id = randomUUID();
		const full = () => sealedLike(2, ATTACHMENT_SEALED_CHUNK_BYTES);
		const first = await put(owner, { id, index: 0, count: 2, body: full() });
		expect(first.status).toBe(201);
		expect(AttachmentStatus.parse(await first.json())).toEqual({
			attachmentId: id,
			chunkCount: 2,
			chunks: [0],
			complete: false
		});
		const rows = await chunkRows();

		const cases: [string, Promise<Response>, { status: number; code: string }][] = [
			[
				'a chunk over the limit',
				put(owner, {
					id,
					index: 1,
					count: 2,
					body: sealedLike(2, ATTACHMENT_SEALED_CHUNK_BYTES + 1)
				}),
				{ status: 413, code: 'payload_too_large' }
			],
			[
				'an index past the count',
				put(owner, { id, index: 2, count: 2 }),
				{ status: 400, code: 'invalid_request' }
			],
			[
				'a count of 81 chunks',
				put(owner, { id, index: 1, count: 81 }),
				{ status: 400, code: 'invalid_request' }
			],
			[
				'a negative index',
				put(owner, { id, index: -1, count: 2 }),
				{ status: 400, code: 'invalid_request' }
			],
			[
				'a count other than the file’s',
				put(owner, { id, index: 1, count: 3, body: full() }),
				{ status: 409, code: 'chunk_count_mismatch' }
			],
			[
				'a revoked key version',
				put(owner, { id, index: 1, count: 2, keyVersion: 1 }),
				{ status: 409, code: 'stale_key_version' }
			],
			[
				'an attachment id that is not a uuid',
				put(owner, { id: 'file-1' }),
				{ status: 400, code: 'invalid_request' }
			],
			[
				'a profile id that is not a uuid',
				put(owner, { profile: 'me' }),
				{ status: 400, code: 'invalid_request' }
			],
			[
				'bytes sealed under another key version than the request says',
				put(owner, { id, index: 1, count: 2, body: sealedLike(7) }),
				{ status: 400, code: 'invalid_chunk' }
			],
			[
				'bytes too short to be sealed',
				put(owner, { id, index: 1, count: 2, body: new Uint8Array(20) }),
				{ status: 400, code: 'invalid_chunk' }
			],
			[
				'a short chunk before the last',
				put(owner, { id: randomUUID(), index: 0, count: 2 }),
				{ status: 400, code: 'invalid_chunk' }
			],
			[
				'other bytes for a stored chunk',
				put(owner, { id, index: 0, count: 2, body: full() }),
				{ status: 409, code: 'chunk_conflict' }
			],
			[
				'a chunk not sent as octet-stream',
				put(owner, { id, index: 1, count: 2, contentType: 'application/json' }),
				{ status: 400, code: 'invalid_request' }
			]
		];
		for (const [what, response, expected] of cases) {
			expect({ what, ...(await errorCode(await response)) }).toEqual({ what, ...expected });
		}
		expect(await errorCode(await status(owner, 'nope'))).toEqual({
			status: 400,
			code: 'invalid_request'
		});
		expect(await errorCode(await status(owner, randomUUID()))).toEqual({
			status: 404,
			code: 'attachment_not_found'
		});
		expect(await chunkRows()).toBe(rows);
		expect(await serverChunks(id)).toEqual([{ chunk_index: 0, copies: 1 }]);
	});

	it('describes the routes in the OpenAPI document', async () => {
		const document = (await (await app.request('/v1/openapi.json')).json()) as {
			paths: Record<string, Record<string, { requestBody?: { content: object } }>>;
		};
		const file = '/v1/profiles/{profileId}/attachments/{attachmentId}';
		expect(Object.keys(document.paths[file]!)).toEqual(['get']);
		expect(Object.keys(document.paths[`${file}/chunks/{index}`]!).sort()).toEqual(['get', 'put']);
		expect(
			Object.keys(document.paths[`${file}/chunks/{index}`]!.put!.requestBody!.content)
		).toEqual(['application/octet-stream']);
	});

	it('holds only ciphertext: the marker in the file is nowhere in the server’s table', async () => {
		expect(containsMarker(file)).toBe(true);
		const [found] = await store.query<{ plain: number; total: number }>(
			`select count(*) filter (where position(convert_to($1, 'UTF8') in ciphertext) > 0)::int as plain,
			        count(*)::int as total
			 from charta.attachment_chunks`,
			[PLAINTEXT_MARKER]
		);
		expect(found!.total).toBeGreaterThanOrEqual(5);
		expect(found!.plain).toBe(0);
	});
});
