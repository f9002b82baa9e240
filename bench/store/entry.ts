// Runs in Chromium (bench/store.bench.mjs builds it with Vite): the measurements behind the
// issue 3 store targets, with real IndexedDB and WebCrypto. Each function is one measurement on
// fresh databases; Node calls them through page.evaluate and takes the medians.
import { Dexie } from 'dexie';
import { unlock } from '../../src/lib/account/account-flows.ts';
import { createDeviceAccountStore } from '../../src/lib/account/device-account-store.ts';
import {
	createKdfParams,
	createUserKeys,
	deriveAccountKeys,
	ENVELOPE_OVERHEAD,
	generateRecoveryKey,
	generateUserKeyPair
} from '../../src/lib/crypto/index.ts';
import { openDeviceDb, openUserDb, recordsOf, type UserDb } from '../../src/lib/db/index.ts';
import { createClock } from '../../src/lib/hlc/index.ts';
import {
	decodeStoredRecord,
	parseRecord,
	stampRecord
} from '../../src/lib/shared/records/index.ts';
import {
	createVault,
	defaultVaultCrypto,
	openClock,
	type VaultCrypto
} from '../../src/lib/vault/index.ts';
import { recordBinding, sealRecord } from '../../src/lib/vault/record-envelope.ts';
import { rawEncryptStore } from './raw-baseline.ts';
import { labResult } from './records.ts';

const PASSWORD = 'correct horse battery staple 42';
const patient = { name: { given: ['Ada'], family: 'Okafor' }, birthDate: '1961-05-14' };

const inputs: ReturnType<typeof labResult>[] = [];
function records(count: number) {
	while (inputs.length < count) inputs.push(labResult(inputs.length));
	return inputs.slice(0, count);
}
const batchOf = (count: number) =>
	records(count).map((data) => ({ kind: 'observation' as const, data }));

let dbs = 0;
const freshId = () => `bench-${Date.now().toString(36)}-${++dbs}`;

async function openFreshVault(userKeyPair: CryptoKeyPair, userId = freshId()) {
	const db = openUserDb(userId);
	const vault = createVault({ db, userKeyPair, clock: await openClock({ db }) });
	const profileId = await vault.createProfile(patient);
	return { db, vault, profileId };
}

async function drop(db: UserDb) {
	db.close();
	await Dexie.delete(db.name);
}

// Our write path: validate, stamp, seal and commit with outbox rows (vault.saveRecords).
async function storeOurs({ count }: { count: number }) {
	const batch = batchOf(count);
	const { db, vault, profileId } = await openFreshVault(await generateUserKeyPair());
	try {
		const started = performance.now();
		await vault.saveRecords({ profileId, records: batch });
		const ms = performance.now() - started;
		const rows = (await db.profileRecords.toArray()).filter((row) => row.kind === 'observation');
		const envelopeBytes = rows.reduce((sum, row) => sum + row.envelope.length, 0) / rows.length;
		return { ms, plaintextBytes: envelopeBytes - ENVELOPE_OVERHEAD, stored: rows.length };
	} finally {
		vault.close();
		await drop(db);
	}
}

// The floor: raw AES-GCM of the same record JSON and one bulkPut of { id, envelope }.
async function storeRaw({ count }: { count: number }) {
	const encoder = new TextEncoder();
	const plaintexts = records(count).map((data) => encoder.encode(JSON.stringify(data)));
	const ids = plaintexts.map(() => crypto.randomUUID());
	const result = await rawEncryptStore({ name: freshId(), ids, plaintexts });
	const plaintextBytes = plaintexts.reduce((sum, bytes) => sum + bytes.length, 0) / count;
	return { ...result, plaintextBytes };
}

// The rows saveRecords writes for `count` records, read back once and reused by explainOurs.
let builtRows: Awaited<ReturnType<typeof buildRows>> | undefined;
async function buildRows(count: number) {
	const source = await openFreshVault(await generateUserKeyPair());
	await source.vault.saveRecords({ profileId: source.profileId, records: batchOf(count) });
	const rows = await source.db.profileRecords.toArray();
	const outbox = (await source.db.outbox.toArray()).map(({ seq: _seq, ...entry }) => entry);
	source.vault.close();
	await drop(source.db);
	return { rows, outbox };
}

// Where saveRecords' time goes, step by step as it runs them: validation, stamping, sealing,
// and the commit of the very rows it built — records alone, and with their outbox rows.
async function explainOurs({ count }: { count: number }) {
	const timed = async <T>(work: () => Promise<T> | T) => {
		const started = performance.now();
		const value = await work();
		return { value, ms: performance.now() - started };
	};
	const validate = await timed(() =>
		Promise.all(records(count).map((data) => parseRecord('observation', data)))
	);
	const clock = createClock({ nodeId: 'bench-node' });
	const stamp = await timed(() =>
		validate.value.map((data) => stampRecord({ kind: 'observation', data, clock }))
	);
	const profileKey = await defaultVaultCrypto.generateProfileKey({ version: 1 });
	const profileId = crypto.randomUUID();
	const sealAll = (vaultCrypto: VaultCrypto) =>
		timed(() =>
			Promise.all(
				stamp.value.map((doc) =>
					sealRecord({
						crypto: vaultCrypto,
						profileKey,
						row: { id: crypto.randomUUID(), profileId, kind: 'observation' },
						doc
					})
				)
			)
		);
	const seal = await sealAll(defaultVaultCrypto);

	const { rows, outbox } = (builtRows ??= await buildRows(count));

	const commit = async (outboxRows: typeof outbox | null) => {
		const db = openUserDb(freshId());
		await db.open();
		const { ms } = await timed(() =>
			db.transaction('rw', db.profileRecords, db.outbox, async () => {
				await db.profileRecords.bulkAdd(rows);
				if (outboxRows) await db.outbox.bulkAdd(outboxRows);
			})
		);
		await drop(db);
		return ms;
	};
	return {
		validateMs: validate.ms,
		stampMs: stamp.ms,
		sealMs: seal.ms,
		commitRecordsMs: await commit(null),
		commitWithOutboxMs: await commit(outbox)
	};
}

async function argon2Unlock() {
	const started = performance.now();
	await deriveAccountKeys({ password: PASSWORD, params: createKdfParams() });
	return performance.now() - started;
}

// An account as sign-up leaves it on this device (device database row, user database), with
// `count` records in one profile. Node then reloads the page, so each unlock starts cold.
async function prepareUnlock({ count }: { count: number }) {
	const kdf = createKdfParams();
	const { kek } = await deriveAccountKeys({ password: PASSWORD, params: kdf });
	const keys = await createUserKeys({ kek, recoverySecret: generateRecoveryKey().secret });
	const userId = crypto.randomUUID();
	const deviceDb = openDeviceDb();
	await createDeviceAccountStore(deviceDb).put({
		userId,
		kdf,
		publicKeyJwk: keys.publicKeyJwk,
		privateKeyWrappedByKek: keys.privateKeyWrappedByKek,
		lastUnlockedAt: Date.now()
	});
	deviceDb.close();
	const { db, vault, profileId } = await openFreshVault(keys.keyPair, userId);
	await vault.saveRecords({ profileId, records: batchOf(count) });
	vault.close();
	db.close();
	return { userId, profileId };
}

// From "password entered" to the list, as the app does it (src/lib/app-state.ts): offline
// unlock, open the user's database and vault, list the profile's records.
async function unlockAndList({ userId, profileId }: { userId: string; profileId: string }) {
	const deviceDb = openDeviceDb();
	const devices = createDeviceAccountStore(deviceDb);
	const started = performance.now();
	const keys = await unlock({ devices }, { userId, password: PASSWORD });
	const unlocked = performance.now();
	const db = openUserDb(keys.userId);
	const clock = await openClock({ db });
	const vault = createVault({ db, userKeyPair: keys.keyPair, clock, crypto: defaultVaultCrypto });
	const items = await vault.listRecords(profileId);
	const done = performance.now();
	vault.close();
	db.close();
	deviceDb.close();
	return {
		ms: done - started,
		unlockMs: unlocked - started,
		listMs: done - unlocked,
		listed: items.length,
		undecryptable: items.filter((item) => 'error' in item).length
	};
}

// Where listRecords' time goes, after the same unlock: reading the rows, opening the envelopes,
// decoding the stored records — each step alone, in the order listRecords runs them.
async function explainList({ userId, profileId }: { userId: string; profileId: string }) {
	const deviceDb = openDeviceDb();
	const keys = await unlock(
		{ devices: createDeviceAccountStore(deviceDb) },
		{ userId, password: PASSWORD }
	);
	deviceDb.close();
	const db = openUserDb(keys.userId);
	const profile = (await db.profiles.get(profileId))!;
	const profileKey = await defaultVaultCrypto.unwrapProfileKey({
		wrapped: profile.wrappedProfileKey,
		profileId,
		keyVersion: profile.keyVersion,
		recipient: keys.keyPair
	});
	const timed = async <T>(work: () => Promise<T>) => {
		const started = performance.now();
		const value = await work();
		return { value, ms: performance.now() - started };
	};
	const read = await timed(() =>
		recordsOf(db, profileId)
			.toArray()
			.then((rows) => rows.filter((row) => row.kind === 'observation'))
	);
	const open = await timed(() =>
		Promise.all(
			read.value.map((row) =>
				defaultVaultCrypto.openEnvelope({
					profileKey,
					binding: recordBinding(row),
					envelope: row.envelope
				})
			)
		)
	);
	const utf8 = new TextDecoder();
	const decode = await timed(async () =>
		open.value.map((plaintext) => decodeStoredRecord(utf8.decode(plaintext)))
	);
	db.close();
	return { readMs: read.ms, openMs: open.ms, decodeMs: decode.ms };
}

const api = {
	storeOurs,
	storeRaw,
	explainOurs,
	argon2Unlock,
	prepareUnlock,
	unlockAndList,
	explainList
};
export type StoreBench = typeof api;
(globalThis as unknown as { storeBench: StoreBench }).storeBench = api;
