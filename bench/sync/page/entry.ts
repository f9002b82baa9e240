// One device of the sync bench, in Chromium (bench/sync.bench.mjs drives two of them): the app's
// own account flows, vault and sync client against the real server, on real IndexedDB and
// WebCrypto. Served by the server under test itself (bench/sync/page-build.mjs), so /v1 is
// same-origin and the session cookie works as in the app.
import { createAccountApi } from '../../../src/lib/account/account-api.ts';
import { signIn, signUp } from '../../../src/lib/account/account-flows.ts';
import { createDeviceAccountStore } from '../../../src/lib/account/device-account-store.ts';
import type { UnlockedKeys } from '../../../src/lib/account/device-account.ts';
import { openDeviceDb, openUserDb, recordsOf, type UserDb } from '../../../src/lib/db/index.ts';
import {
	createSyncClient,
	startSyncTriggers,
	type SyncClient
} from '../../../src/lib/sync/index.ts';
import {
	createVault,
	defaultVaultCrypto,
	openClock,
	type Vault
} from '../../../src/lib/vault/index.ts';
import { labResult } from '../../store/records.ts';
import { explainDownload } from './explain-download.ts';
import { clock, createMeters, type Meters } from './meters.ts';

const patient = { name: { given: ['Ada'], family: 'Okafor' }, birthDate: '1961-05-14' };
const deps = () => ({ api: createAccountApi(), devices: createDeviceAccountStore(openDeviceDb()) });

interface Device {
	db: UserDb;
	vault: Vault;
	client: SyncClient;
	meters: Meters;
	stopTriggers?: () => void;
}
let keys: UnlockedKeys | undefined;
let device: Device | undefined;
const errors: string[] = [];
const report = (error: unknown) => void errors.push(String(error));

const open = () => {
	if (!device) throw new Error('No device is open');
	return device;
};

// The device as the app opens it on unlock (src/lib/app-state.ts), with meters on the sync
// client's fetch and crypto. Background triggers start only when asked (startTriggers).
async function openDevice(unlocked: UnlockedKeys): Promise<{ userId: string }> {
	keys = unlocked;
	const db = openUserDb(keys.userId);
	const hlc = await openClock({ db });
	const meters = createMeters(db);
	const vault = createVault({ db, userKeyPair: keys.keyPair, clock: hlc });
	const client = createSyncClient({
		db,
		userKeyPair: keys.keyPair,
		clock: hlc,
		crypto: meters.crypto,
		fetch: meters.fetch,
		onError: report
	});
	device = { db, vault, client, meters };
	return { userId: keys.userId };
}

async function signUpDevice(input: { email: string; password: string }) {
	const { keys } = await signUp(deps(), { ...input, rememberDevice: true });
	return openDevice(keys);
}

async function signInDevice(input: { email: string; password: string }) {
	const { keys } = await signIn(deps(), { ...input, rememberDevice: true });
	return openDevice(keys);
}

// A profile and `count` lab results, saved as an import saves them (one vault.saveRecords).
async function writeRecords({ count }: { count: number }) {
	const { vault } = open();
	const started = performance.now();
	const profileId = await vault.createProfile(patient);
	const records = Array.from({ length: count }, (_, i) => ({
		kind: 'observation' as const,
		data: labResult(i)
	}));
	await vault.saveRecords({ profileId, records });
	return { profileId, ms: performance.now() - started };
}

// One sync run (register → push → pull and apply), metered.
async function syncOnce() {
	const { client, meters } = open();
	meters.reset({ keepPullBodies: true });
	const start = clock();
	const status = await client.syncNow();
	const end = clock();
	return { start, end, status, ...meters.read() };
}

// Every record of the profile, decrypted (the list page's read).
async function listRecords({ profileId }: { profileId: string }) {
	const items = await open().vault.listRecords(profileId);
	return {
		listed: items.length,
		undecryptable: items.filter((item) => 'error' in item).length
	};
}

// The steps of the last syncOnce's download, re-run one by one (explain-download.ts).
async function explainLastDownload({ profileId }: { profileId: string }) {
	const { db, meters } = open();
	const profile = await db.profiles.get(profileId);
	if (!profile || !keys) throw new Error(`No profile ${profileId} on this device`);
	const profileKey = await defaultVaultCrypto.unwrapProfileKey({
		wrapped: profile.wrappedProfileKey,
		profileId,
		keyVersion: profile.keyVersion,
		recipient: keys.keyPair
	});
	return explainDownload({ bodies: meters.pullBodies(), profileKey });
}

// Something a measurement waits for, checked after every finished sync run (as the app's pages
// re-read their lists when a sync finishes): `at` is when it was first seen.
interface Waited {
	at?: number;
	resolve?: (at: number) => void;
}

function arrived(waited: Waited): void {
	if (waited.at !== undefined) return;
	waited.at = clock();
	waited.resolve?.(waited.at);
}

// When it was seen, or null after `timeoutMs`.
function arrival(waited: Waited, timeoutMs: number): Promise<number | null> {
	if (waited.at !== undefined) return Promise.resolve(waited.at);
	return new Promise((resolve) => {
		const timer = setTimeout(() => resolve(null), timeoutMs);
		waited.resolve = (at) => {
			clearTimeout(timer);
			resolve(at);
		};
	});
}

// Records a test waits to see decrypted, and a profile whose records it waits to see all stored.
const watched = new Map<string, Waited & { profileId: string }>();
let stored: (Waited & { profileId: string; count: number }) | undefined;

function startTriggers() {
	const current = open();
	if (current.stopTriggers) return;
	current.client.subscribe((status) => {
		if (status.state === 'syncing') return;
		const waiting = stored;
		if (waiting && waiting.at === undefined) {
			void recordsOf(current.db, waiting.profileId)
				.count()
				.then((count) => count >= waiting.count && arrived(waiting))
				.catch(report);
		}
		for (const [id, watch] of watched) {
			if (watch.at !== undefined) continue;
			void current.vault
				.getRecord({ profileId: watch.profileId, id })
				.then((record) => record && !('error' in record) && arrived(watch))
				.catch(report);
		}
	});
	current.stopTriggers = startSyncTriggers({
		client: current.client,
		db: current.db,
		fetch: current.meters.fetch,
		onError: report
	});
	current.meters.reset();
}

function expect({ profileId, id }: { profileId: string; id: string }) {
	watched.set(id, { profileId });
}

// Saves one record with a chosen id, as the record form does; `at` is when Save was pressed.
async function writeOne({
	profileId,
	id,
	index
}: {
	profileId: string;
	id: string;
	index: number;
}) {
	const at = clock();
	await open().vault.saveRecord({ profileId, kind: 'observation', id, data: labResult(index) });
	return { at, savedAt: clock() };
}

function seen({ id, timeoutMs }: { id: string; timeoutMs: number }): Promise<number | null> {
	const watch = watched.get(id);
	if (!watch) throw new Error(`Not watching ${id}`);
	return arrival(watch, timeoutMs);
}

function watchStored({ profileId, count }: { profileId: string; count: number }) {
	stored = { profileId, count };
}

function storedAt({ timeoutMs }: { timeoutMs: number }): Promise<number | null> {
	if (!stored) throw new Error('Not watching a profile');
	return arrival(stored, timeoutMs);
}

function readMeters() {
	return { ...open().meters.read(), errors: errors.splice(0) };
}

function close() {
	device?.stopTriggers?.();
	device?.client.destroy();
	device?.vault.close();
	device?.db.close();
	device = undefined;
	watched.clear();
	stored = undefined;
}

const api = {
	signUp: signUpDevice,
	signIn: signInDevice,
	writeRecords,
	syncOnce,
	listRecords,
	explainLastDownload,
	startTriggers,
	expect,
	writeOne,
	seen,
	watchStored,
	storedAt,
	readMeters,
	close
};
export type SyncBenchDevice = typeof api;
(globalThis as unknown as { syncBench: SyncBenchDevice }).syncBench = api;
