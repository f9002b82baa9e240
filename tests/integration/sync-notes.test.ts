import { randomUUID } from 'node:crypto';
// Dexie runs live queries (an open note follows its stored rows with one) only where a global
// indexedDB exists; each device below still opens its own IDBFactory.
import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
	exportPublicKey,
	generateUserKeyPair,
	toBase64Url,
	type CryptoKeyPair
} from '../../src/lib/crypto/index.ts';
import { declareUserDbSchema, type UserDb } from '../../src/lib/db/index.ts';
import { createClock } from '../../src/lib/hlc/index.ts';
import { createNotes, type Notes, type OpenNote } from '../../src/lib/notes/index.ts';
import type { SessionResponse } from '../../src/lib/shared/auth.ts';
import type { Mutation, PullResponse } from '../../src/lib/shared/sync.ts';
import { createSharing, type Sharing } from '../../src/lib/sharing/index.ts';
import { createSyncClient, startSyncTriggers, type SyncClient } from '../../src/lib/sync/index.ts';
import { createVault, type Vault } from '../../src/lib/vault/index.ts';
import { createApp, type App } from '../../sync-server/src/app.ts';
import { createLogger } from '../../sync-server/src/logger.ts';
import { migrate } from '../../sync-server/src/store/migrate.ts';
import type { Store } from '../../sync-server/src/store/store.ts';
import { createChangeFeed, type ChangeFeed } from '../../sync-server/src/sync/change-feed.ts';
import { createClientAccount, derivePasswordKeys, signupBody } from '../helpers/auth-client.ts';
import { deviceFetch, type DeviceNetwork } from '../helpers/device-fetch.ts';
import { storeKinds } from '../helpers/databases.ts';

// Collaborative notes (issue 6) wired into sync: devices — each its own IndexedDB
// (fake-indexeddb), vault, sync client and notes — against one in-process server, on PGlite and
// on PostgreSQL. Note edits travel in the same /v1/sync/push requests as records and come back
// through the same pull, stored in the transaction that moves the cursor.

const migrationsDir = new URL('../../supabase/migrations', import.meta.url).pathname;

const patient = {
	name: { given: ['Wendeline'], family: 'Notarby' },
	birthDate: '1962-09-30',
	sex: 'female' as const
};
const TOP = 'Seen at home with her daughter; breathless on stairs since Tuesday.';
const BOTTOM = 'Plan: chest X-ray, review in clinic on Friday.';

interface Device {
	userId: string;
	email: string;
	db: UserDb;
	vault: Vault;
	sync: SyncClient;
	notes: Notes;
	sharing: Sharing;
	fetch: typeof globalThis.fetch;
	net: DeviceNetwork;
	// Set to sync whenever a batch of note edits waits, as the app does.
	syncOnPending: { on: boolean };
}

function openDevice(
	user: { id: string; email: string },
	keyPair: CryptoKeyPair,
	nodeId: string,
	{ fetch, state }: ReturnType<typeof deviceFetch>
): Device {
	// A name per device: Dexie tells live queries about writes by database name, and two devices
	// of one user in one process would hear each other's.
	const db = new Dexie(`charta-user-${user.id}-${nodeId}`, {
		indexedDB: new IDBFactory(),
		IDBKeyRange
	}) as UserDb;
	declareUserDbSchema(db);
	const clock = createClock({ nodeId });
	const vault = createVault({ db, userKeyPair: keyPair, clock });
	const sync = createSyncClient({
		db,
		userKeyPair: keyPair,
		clock,
		fetch,
		random: () => 0.5,
		autoRetry: false
	});
	const syncOnPending = { on: false };
	const notes = createNotes({
		db,
		keys: sync.keys,
		onPending: () => {
			if (syncOnPending.on) void sync.syncNow().catch(() => {});
		}
	});
	const sharing = createSharing({ db, userKeyPair: keyPair, fetch });
	return {
		userId: user.id,
		email: user.email,
		db,
		vault,
		sync,
		notes,
		sharing,
		fetch,
		net: state,
		syncOnPending
	};
}

// Opens a note as the note page does, types into it and writes the batch at once.
async function edit(
	device: Device,
	profileId: string,
	docId: string,
	change: (note: OpenNote) => void
) {
	const note = device.notes.open({ profileId, docId });
	await note.persistence.whenSynced;
	change(note);
	await note.persistence.flush();
	return note;
}

const textOf = async (device: Device, profileId: string, docId: string) => {
	const note = device.notes.open({ profileId, docId });
	await note.persistence.whenSynced;
	const text = note.text.toString();
	await note.close();
	return text;
};

describe.each(storeKinds)('collaborative notes through the real server on $name', (kind) => {
	let store: Store;
	let dispose: () => Promise<void>;
	let feed: ChangeFeed;
	let app: App;
	let a: Device;
	let b: Device;
	let viewer: Device;
	let profileId: string;
	const docId = randomUUID();

	async function signUp(name: string) {
		const account = await createClientAccount(await derivePasswordKeys(`${name} password`));
		const keyPair = await generateUserKeyPair();
		const email = `${name}-${randomUUID().slice(0, 8)}@example.org`;
		const net = deviceFetch(app);
		const response = await net.fetch('/v1/auth/signup', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(
				signupBody(account, email, { publicKey: await exportPublicKey(keyPair.publicKey, 'jwk') })
			)
		});
		expect(response.status).toBe(201);
		const { user } = (await response.json()) as SessionResponse;
		return { user, keyPair, account, net };
	}

	beforeAll(async () => {
		if (!kind.available) return;
		({ store, dispose } = await kind.open());
		await migrate(store, migrationsDir);
		feed = createChangeFeed({ store });
		app = createApp({
			store,
			version: 'test',
			logger: createLogger('silent'),
			auth: { secret: new Uint8Array(32).fill(6) },
			events: { feed, heartbeatMs: 1_000 }
		});
		const owner = await signUp('clinician');
		a = openDevice(owner.user, owner.keyPair, 'device-a', owner.net);
		const netB = deviceFetch(app);
		const login = await netB.fetch('/v1/auth/login', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email: owner.user.email, authKey: owner.account.current.authKey })
		});
		expect(login.status).toBe(200);
		b = openDevice(owner.user, owner.keyPair, 'device-b', netB);
		const v = await signUp('viewer');
		viewer = openDevice(v.user, v.keyPair, 'viewer-phone', v.net);
	});

	afterAll(async () => {
		if (!kind.available) return;
		for (const device of [a, b, viewer]) {
			device.sync.destroy();
			device.vault.close();
			device.db.close();
		}
		await feed.close();
		await dispose();
	});

	beforeEach((context) => {
		if (!kind.available) context.skip('PostgreSQL is not reachable');
	});

	it('pushes a note written offline in the same request as its new patient, and the other device reads it', async () => {
		a.net.offline = true;
		profileId = await a.vault.createProfile(patient);
		const note = await edit(a, profileId, docId, (n) => n.text.insert(0, `${TOP}\n`));
		await note.close();
		await expect(a.sync.syncNow()).rejects.toThrow(/could not reach/);
		// The patient record and the note's batch (or its snapshot) both wait.
		expect(a.sync.status.pending).toBeGreaterThanOrEqual(2);

		a.net.offline = false;
		a.net.pushes.length = 0;
		expect(await a.sync.syncNow()).toMatchObject({ state: 'synced', pending: 0, rejected: 0 });
		expect(a.net.pushes).toHaveLength(1);
		const kinds = a.net.pushes[0]!.map((mutation) => mutation.kind);
		expect(kinds).toContain('profile');
		expect(kinds.some((k) => k === 'note-update' || k === 'note-snapshot')).toBe(true);
		expect(await a.db.notePushes.count()).toBe(0);

		expect(await b.sync.syncNow()).toMatchObject({ state: 'synced', pending: 0 });
		expect(await textOf(b, profileId, docId)).toBe(`${TOP}\n`);
		const [listed] = await b.notes.list(profileId);
		expect(listed).toMatchObject({ docId, title: TOP, editedBy: a.userId, unreadableRows: 0 });
	});

	it('does not store its own pushed edits a second time when the server hands them back', async () => {
		const before = await a.db.noteUpdates.count();
		await a.sync.syncNow();
		await a.sync.syncNow();
		expect(await a.db.noteUpdates.count()).toBe(before);
		expect(await textOf(a, profileId, docId)).toBe(`${TOP}\n`);
	});

	it('merges a paragraph typed offline at the top with one typed online at the bottom, on both devices', async () => {
		a.net.offline = true;
		const onA = await edit(a, profileId, docId, (n) => n.text.insert(0, 'Offline on A.\n'));
		await onA.close();
		await a.sync.syncNow().catch(() => {});

		const onB = await edit(b, profileId, docId, (n) => n.text.insert(n.text.length, BOTTOM));
		await onB.close();
		await b.sync.syncNow();

		a.net.offline = false;
		await a.sync.syncNow();
		await b.sync.syncNow();
		const expected = `Offline on A.\n${TOP}\n${BOTTOM}`;
		expect(await textOf(a, profileId, docId)).toBe(expected);
		expect(await textOf(b, profileId, docId)).toBe(expected);
		expect(a.sync.status).toMatchObject({ pending: 0, rejected: 0 });
	});

	it('keeps each published snapshot in the history of both devices', async () => {
		const onA = await edit(a, profileId, docId, (n) => n.text.insert(0, '# Home visit\n'));
		await onA.close(); // edited: publishes a snapshot
		await a.sync.syncNow();
		await b.sync.syncNow();
		for (const device of [a, b]) {
			const [newest] = await device.notes.history(docId);
			expect(newest).toBeDefined();
			expect(await device.notes.historyText({ profileId, docId, seq: newest!.seq })).toBe(
				`# Home visit\nOffline on A.\n${TOP}\n${BOTTOM}`
			);
		}
		expect((await b.notes.history(docId))[0]).toMatchObject({ by: a.userId });
		expect((await a.notes.list(profileId))[0]).toMatchObject({ title: 'Home visit' });
	});

	describe('refusing what the server hands back', () => {
		let open: OpenNote;
		let before: string;

		beforeEach(async () => {
			await b.sync.syncNow();
			open = b.notes.open({ profileId, docId });
			await open.persistence.whenSynced;
			before = open.text.toString();
		});

		let injected: string;

		// Pushed as the account's own member would: the server stores ciphertext it cannot judge.
		async function pushRaw(mutation: Omit<Mutation, 'mutationId' | 'deleted'>) {
			injected = randomUUID();
			const response = await a.fetch('/v1/sync/push', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					clientId: 'tampering-member',
					mutations: [{ ...mutation, mutationId: injected, deleted: false }]
				})
			});
			expect(await response.json()).toMatchObject({ results: [{ status: 'applied' }] });
		}

		// The changes the server hands B from B's stored cursor on.
		async function pullFromCursor(): Promise<PullResponse> {
			const cursor = String((await b.db.settings.get('sync.cursor'))?.value ?? '');
			const response = await b.fetch(
				`/v1/sync/pull?cursor=${encodeURIComponent(cursor)}&limit=500`
			);
			return (await response.json()) as PullResponse;
		}

		async function expectIntact() {
			const rows = await b.db.noteUpdates.count();
			expect((await pullFromCursor()).changes.map((c) => c.mutationId)).toContain(injected);
			expect(await b.sync.syncNow()).toMatchObject({ state: 'synced', rejected: 0 });
			// Refused: nothing stored, the open note unchanged, and the cursor past it.
			expect((await pullFromCursor()).changes).toEqual([]);
			expect(await b.db.noteUpdates.count()).toBe(rows);
			expect(open.text.toString()).toBe(before);
			expect(open.persistence.unreadableRows).toBe(0);
			await open.close();
			expect(await textOf(b, profileId, docId)).toBe(before);
		}

		it('refuses a corrupted note update', async () => {
			const [row] = await a.db.noteUpdates.toArray();
			const damaged = row!.envelope.slice();
			const last = damaged.length - 1;
			damaged[last] = damaged[last]! ^ 0x01;
			await pushRaw({
				profileId,
				entityId: docId,
				kind: 'note-update',
				keyVersion: row!.keyVersion,
				ciphertext: toBase64Url(damaged)
			});
			await expectIntact();
		});

		it('refuses a replayed note update: a payload it applied before, under a new mutation id', async () => {
			const rows = await a.db.noteUpdates.toArray();
			const pushed = rows.at(-1)!;
			await pushRaw({
				profileId,
				entityId: docId,
				kind: pushed.kind,
				keyVersion: pushed.keyVersion,
				ciphertext: toBase64Url(pushed.envelope)
			});
			await expectIntact();
		});

		it('refuses another note’s update moved onto this note', async () => {
			const other = randomUUID();
			const note = await edit(a, profileId, other, (n) => n.text.insert(0, 'Another note'));
			await note.persistence.destroy();
			const [moved] = await a.db.noteUpdates
				.where('[docId+seq]')
				.between([other, 0], [other, Infinity])
				.toArray();
			await pushRaw({
				profileId,
				entityId: docId,
				kind: 'note-update',
				keyVersion: moved!.keyVersion,
				ciphertext: toBase64Url(moved!.envelope)
			});
			await expectIntact();
		});
	});

	it('keeps a viewer’s note edit, refused by the server, waiting with its reason', async () => {
		await a.sharing.inviteMember({ profileId, email: viewer.email, role: 'viewer' });
		await viewer.sync.syncNow();
		expect(await textOf(viewer, profileId, docId)).toContain(TOP);
		// The note page shows a viewer a read-only editor; a device that writes anyway is refused.
		const note = await edit(viewer, profileId, docId, (n) => n.text.insert(0, 'Viewer wrote '));
		await note.persistence.destroy();
		const status = await viewer.sync.syncNow();
		expect(status).toMatchObject({ state: 'failed', rejected: 1 });
		const [refused] = await viewer.db.notePushes.toArray();
		expect(refused?.pushError).toMatch(/^read_only:/);
		await a.sync.syncNow();
		expect(await textOf(a, profileId, docId)).not.toContain('Viewer wrote');
	});

	it('shows an edit on the other device within a second when both are online', async () => {
		const stop = startSyncTriggers({ client: b.sync, db: b.db, fetch: b.fetch, debounceMs: 10 });
		a.syncOnPending.on = true;
		const onB = b.notes.open({ profileId, docId });
		await onB.persistence.whenSynced;
		try {
			await vi.waitFor(() => expect(b.sync.status.state).toBe('synced'));
			const onA = a.notes.open({ profileId, docId });
			await onA.persistence.whenSynced;
			const started = performance.now();
			onA.text.insert(onA.text.length, '\nSpO2 94% on air.');
			await vi.waitFor(() => expect(onB.text.toString()).toContain('SpO2 94% on air.'), {
				timeout: 5_000,
				interval: 10
			});
			const ms = performance.now() - started;
			// 250 ms of quiet before the batch, then push → NOTIFY → SSE nudge → pull → open note.
			expect(ms).toBeLessThan(1_000);
			await onA.close();
		} finally {
			a.syncOnPending.on = false;
			await onB.close();
			stop();
		}
	});
});
