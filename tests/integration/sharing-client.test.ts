import { randomUUID } from 'node:crypto';
import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	exportPublicKey,
	generateUserKeyPair,
	type CryptoKeyPair
} from '../../src/lib/crypto/index.ts';
import { declareUserDbSchema, recordKey, type UserDb } from '../../src/lib/db/index.ts';
import { createClock } from '../../src/lib/hlc/index.ts';
import type { SessionResponse } from '../../src/lib/shared/auth.ts';
import {
	createSharing,
	ReadOnlyProfileError,
	UnknownAccountError,
	type Sharing
} from '../../src/lib/sharing/index.ts';
import { createSyncClient, type SyncClient } from '../../src/lib/sync/index.ts';
import { createVault, type Vault } from '../../src/lib/vault/index.ts';
import { createApp, type App } from '../../sync-server/src/app.ts';
import { createLogger } from '../../sync-server/src/logger.ts';
import { migrate } from '../../sync-server/src/store/migrate.ts';
import { openPgliteStore } from '../../sync-server/src/store/pglite-store.ts';
import type { Store } from '../../sync-server/src/store/store.ts';
import { createChangeFeed, type ChangeFeed } from '../../sync-server/src/sync/change-feed.ts';
import { createClientAccount, derivePasswordKeys, signupBody } from '../helpers/auth-client.ts';
import { deviceFetch, type DeviceNetwork } from '../helpers/device-fetch.ts';

// Sharing end to end on the client side: an owner, an editor and a viewer — each a device with
// its own IndexedDB (fake-indexeddb), vault, sync client and sharing client — against one
// in-process server on PGlite. Plus a second device of the owner that was offline during a
// rotation.

const migrationsDir = new URL('../../supabase/migrations', import.meta.url).pathname;

const patient = {
	name: { given: ['Ottoline'], family: 'Sharewell' },
	birthDate: '1951-02-11',
	sex: 'female' as const
};
const glucose = (value: number) => ({
	category: 'laboratory' as const,
	code: { code: '2345-7', display: 'Glucose' },
	value: { type: 'quantity' as const, value, unit: 'mmol/L' },
	effectiveDateTime: '2026-03-15T08:10+00:00'
});
const condition = (display: string) => ({
	code: { display },
	clinicalStatus: 'active' as const
});

interface Device {
	userId: string;
	email: string;
	db: UserDb;
	vault: Vault;
	sync: SyncClient;
	sharing: Sharing;
	net: DeviceNetwork;
}

function openDevice(
	user: { id: string; email: string },
	keyPair: CryptoKeyPair,
	nodeId: string,
	{ fetch, state }: ReturnType<typeof deviceFetch>
): Device {
	const db = new Dexie(`charta-user-${user.id}`, {
		indexedDB: new IDBFactory(),
		IDBKeyRange
	}) as UserDb;
	declareUserDbSchema(db);
	let time = 1_700_000_000_000;
	const now = () => (time += 1_000);
	const clock = createClock({ nodeId, now });
	const vault = createVault({ db, userKeyPair: keyPair, clock, now });
	const sync = createSyncClient({
		db,
		userKeyPair: keyPair,
		clock,
		fetch,
		now,
		random: () => 0.5,
		autoRetry: false
	});
	const sharing = createSharing({ db, userKeyPair: keyPair, fetch, now });
	return { userId: user.id, email: user.email, db, vault, sync, sharing, net: state };
}

describe('sharing a profile between an owner, an editor and a viewer', () => {
	let store: Store;
	let feed: ChangeFeed;
	let app: App;
	let owner: Device;
	let ownerTablet: Device;
	let editor: Device;
	let viewer: Device;
	let profileId: string;
	let firstRecord: string;

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
		store = await openPgliteStore();
		await migrate(store, migrationsDir);
		feed = createChangeFeed({ store });
		app = createApp({
			store,
			version: 'test',
			logger: createLogger('silent'),
			auth: { secret: new Uint8Array(32).fill(7) },
			events: { feed, heartbeatMs: 1_000 }
		});
		const o = await signUp('owner');
		const e = await signUp('editor');
		const v = await signUp('viewer');
		owner = openDevice(o.user, o.keyPair, 'owner-phone', o.net);
		editor = openDevice(e.user, e.keyPair, 'editor-tablet', e.net);
		viewer = openDevice(v.user, v.keyPair, 'viewer-phone', v.net);

		// The owner's second device signs in with the same account and key pair.
		const tabletNet = deviceFetch(app);
		const login = await tabletNet.fetch('/v1/auth/login', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email: o.user.email, authKey: o.account.current.authKey })
		});
		expect(login.status).toBe(200);
		ownerTablet = openDevice(o.user, o.keyPair, 'owner-tablet', tabletNet);
	});

	afterAll(async () => {
		for (const device of [owner, ownerTablet, editor, viewer]) {
			device.sync.destroy();
			device.vault.close();
			device.db.close();
		}
		await feed.close();
		await store.close();
	});

	it('the owner invites an editor and a viewer; both receive the profile and decrypt it', async () => {
		profileId = await owner.vault.createProfile(patient);
		firstRecord = await owner.vault.saveRecord({
			profileId,
			kind: 'observation',
			data: glucose(5.4)
		});
		expect(await owner.sync.syncNow()).toMatchObject({ state: 'synced', pending: 0 });

		await expect(
			owner.sharing.inviteMember({ profileId, email: 'nobody@example.org', role: 'viewer' })
		).rejects.toBeInstanceOf(UnknownAccountError);
		await owner.sharing.inviteMember({ profileId, email: editor.email, role: 'editor' });
		await owner.sharing.inviteMember({
			profileId,
			email: viewer.email.toUpperCase(),
			role: 'viewer'
		});

		const { members, currentKeyVersion } = await owner.sharing.listMembers(profileId);
		expect(currentKeyVersion).toBe(1);
		expect(members.map(({ email, role, revokedAt }) => ({ email, role, revokedAt }))).toEqual([
			{ email: owner.email, role: 'owner', revokedAt: null },
			{ email: editor.email, role: 'editor', revokedAt: null },
			{ email: viewer.email, role: 'viewer', revokedAt: null }
		]);

		for (const [device, role] of [
			[editor, 'editor'],
			[viewer, 'viewer']
		] as const) {
			expect(await device.sync.syncNow()).toMatchObject({ state: 'synced', rejected: 0 });
			expect(await device.vault.getProfile(profileId)).toMatchObject({ patient });
			expect(await device.vault.getRecord({ profileId, id: firstRecord })).toMatchObject({
				data: glucose(5.4)
			});
			expect(await device.sharing.access(profileId)).toMatchObject({ role, revoked: false });
		}
		expect(await viewer.sharing.access(profileId)).toMatchObject({ canEdit: false });
		expect(await editor.sharing.access(profileId)).toMatchObject({
			canEdit: true,
			canManage: false
		});
	});

	it('an editor’s change reaches the owner and the viewer', async () => {
		const id = await editor.vault.saveRecord({
			profileId,
			kind: 'condition',
			data: condition('Hypertension')
		});
		expect(await editor.sync.syncNow()).toMatchObject({ pending: 0, rejected: 0 });
		await owner.sync.syncNow();
		await viewer.sync.syncNow();
		expect(await owner.vault.getRecord({ profileId, id })).toMatchObject({
			data: condition('Hypertension')
		});
		expect(await viewer.vault.getRecord({ profileId, id })).toMatchObject({
			data: condition('Hypertension')
		});
	});

	it('refuses the viewer’s writes on the device, before anything is queued', async () => {
		await expect(
			viewer.vault.saveRecord({ profileId, kind: 'observation', data: glucose(9.9) })
		).rejects.toBeInstanceOf(ReadOnlyProfileError);
		await expect(viewer.vault.deleteRecord({ profileId, id: firstRecord })).rejects.toBeInstanceOf(
			ReadOnlyProfileError
		);
		expect(await viewer.db.outbox.count()).toBe(0);
	});

	it('revoking the editor rotates the key; owner and viewer go on under version 2, the editor gets nothing newer', async () => {
		// Writes made offline before the revocation, by the editor and by the owner's tablet.
		await ownerTablet.sync.syncNow();
		editor.net.offline = true;
		ownerTablet.net.offline = true;
		const editorOffline = await editor.vault.saveRecord({
			profileId,
			kind: 'condition',
			data: condition('Written offline by the editor')
		});
		const tabletOffline = await ownerTablet.vault.saveRecord({
			profileId,
			kind: 'condition',
			data: condition('Written offline on the owner’s tablet')
		});

		const editorMember = (await owner.sharing.listMembers(profileId)).members.find(
			(m) => m.email === editor.email
		)!;
		expect(
			await owner.sharing.revokeMember({ profileId, userId: editorMember.userId })
		).toMatchObject({ currentKeyVersion: 2, adopted: true });
		expect(await owner.db.profiles.get(profileId)).toMatchObject({ keyVersion: 2 });
		expect((await owner.db.profileRecords.toArray()).every((row) => row.keyVersion === 2)).toBe(
			true
		);

		// The owner writes under version 2; the server, which refuses any other version, takes it.
		const afterRevoke = await owner.vault.saveRecord({
			profileId,
			kind: 'observation',
			data: glucose(7.1)
		});
		expect(
			await owner.db.profileRecords.get(recordKey({ profileId, id: afterRevoke }))
		).toMatchObject({ keyVersion: 2 });
		expect(await owner.sync.syncNow()).toMatchObject({ pending: 0, rejected: 0 });

		// The viewer follows the rotation it did not make and reads on.
		expect(await viewer.sync.syncNow()).toMatchObject({ state: 'synced', rejected: 0 });
		expect(await viewer.db.profiles.get(profileId)).toMatchObject({ keyVersion: 2 });
		expect(await viewer.vault.getRecord({ profileId, id: afterRevoke })).toMatchObject({
			data: glucose(7.1)
		});
		expect(await viewer.vault.getRecord({ profileId, id: firstRecord })).toMatchObject({
			data: glucose(5.4)
		});

		// The owner's tablet adopts version 2 before pushing: its offline write goes through.
		ownerTablet.net.offline = false;
		expect(await ownerTablet.sync.syncNow()).toMatchObject({ pending: 0, rejected: 0 });
		expect(await ownerTablet.db.profiles.get(profileId)).toMatchObject({ keyVersion: 2 });
		await owner.sync.syncNow();
		await viewer.sync.syncNow();
		for (const device of [owner, viewer]) {
			expect(await device.vault.getRecord({ profileId, id: tabletOffline })).toMatchObject({
				data: condition('Written offline on the owner’s tablet')
			});
		}

		// The editor comes back: the offline write is refused with a reason, kept, and shown.
		editor.net.offline = false;
		const status = await editor.sync.syncNow();
		expect(status).toMatchObject({ pending: 1, rejected: 1 });
		const [refused] = await editor.db.outbox.toArray();
		expect(refused).toMatchObject({ entityId: editorOffline });
		expect(refused!.lastError).toMatch(/^not_a_member: /);
		expect(await editor.vault.listPendingChanges()).toEqual([
			expect.objectContaining({ entityId: editorOffline, lastError: refused!.lastError })
		]);
		// Nothing newer than the revocation reached the editor; the profile is marked, not listed.
		expect(
			await editor.db.profileRecords.get(recordKey({ profileId, id: afterRevoke }))
		).toBeUndefined();
		expect(
			await editor.db.profileRecords.get(recordKey({ profileId, id: tabletOffline }))
		).toBeUndefined();
		expect(await editor.sharing.access(profileId)).toMatchObject({
			revoked: true,
			canEdit: false
		});
		expect(await editor.vault.listProfiles()).toEqual([]);
		await expect(
			editor.vault.saveRecord({ profileId, kind: 'condition', data: condition('Again') })
		).rejects.toMatchObject({ reason: 'revoked' });
		// What the editor had before stays on the device.
		expect(await editor.vault.getRecord({ profileId, id: firstRecord })).toMatchObject({
			data: glucose(5.4)
		});

		// And the editor's offline write never reached anyone.
		await owner.sync.syncNow();
		expect(
			await owner.db.profileRecords.get(recordKey({ profileId, id: editorOffline }))
		).toBeUndefined();
		const members = (await owner.sharing.listMembers(profileId)).members;
		expect(members.find((m) => m.email === editor.email)?.revokedAt).toEqual(expect.any(String));
	});

	it('sends a change refused for an old key version again once the device follows the rotation', async () => {
		const viewerMember = (await owner.sharing.listMembers(profileId)).members.find(
			(m) => m.email === viewer.email
		)!;
		const id = await ownerTablet.vault.saveRecord({
			profileId,
			kind: 'condition',
			data: condition('Raced a rotation')
		});
		// The phone rotates to version 3 after the tablet's sync followed version 2 and before its
		// push arrives: the server refuses the push as stale.
		ownerTablet.net.beforeNextPush = () =>
			owner.sharing.revokeMember({ profileId, userId: viewerMember.userId });
		expect(await ownerTablet.sync.syncNow()).toMatchObject({ pending: 1, rejected: 1 });
		expect((await ownerTablet.db.outbox.toArray())[0]!.lastError).toMatch(/^stale_key_version/);

		// The next sync follows version 3 and puts the refused change back in line by itself.
		expect(await ownerTablet.sync.syncNow()).toMatchObject({ pending: 0, rejected: 0 });
		expect(await ownerTablet.db.profiles.get(profileId)).toMatchObject({ keyVersion: 3 });
		await owner.sync.syncNow();
		expect(await owner.vault.getRecord({ profileId, id })).toMatchObject({
			data: condition('Raced a rotation')
		});
	});
});
