// An account for the server-only measurements (push rate, idle event streams), made from Node
// the way the app makes one: account-flows signUp (Argon2id, key pair, recovery key) against the
// real server, a profile registered with its key wrapped for the account, and one lab result
// sealed under that key as the vault seals it. Loaded through tsx (sync.bench.mjs).
import { createAccountApi } from '../../src/lib/account/account-api.ts';
import { signUp } from '../../src/lib/account/account-flows.ts';
import { toBase64Url } from '../../src/lib/crypto/index.ts';
import { createClock, newNodeId } from '../../src/lib/hlc/index.ts';
import { parseRecord, stampRecord } from '../../src/lib/shared/records/index.ts';
import { createSyncApi } from '../../src/lib/sync/sync-api.ts';
import { defaultVaultCrypto as crypto } from '../../src/lib/vault/vault-crypto.ts';
import { sealRecord } from '../../src/lib/vault/record-envelope.ts';
import { labResult } from '../store/records.ts';

export interface ApiAccount {
	userId: string;
	/** The Cookie header of the account's session. */
	cookie: string;
	profileId: string;
	/** The record the ciphertext is sealed for (its binding names it). */
	entityId: string;
	/** A sealed ~1 KB lab result of the profile, base64url, as a push carries it. */
	ciphertext: string;
}

// Node's fetch keeps no cookies: remember the session cookie the server sets, send it back.
function cookieFetch(baseUrl: string) {
	let cookie = '';
	const fetch: typeof globalThis.fetch = async (input, init) => {
		const headers = new Headers(init?.headers);
		if (cookie) headers.set('cookie', cookie);
		const response = await globalThis.fetch(new URL(String(input), baseUrl), { ...init, headers });
		const set = response.headers.getSetCookie()[0];
		if (set) cookie = set.split(';', 1)[0]!;
		return response;
	};
	return { fetch, cookie: () => cookie };
}

const noDevice = { get: async () => undefined, latest: async () => undefined, put: async () => {} };

export async function createApiAccount({
	baseUrl,
	email,
	password
}: {
	baseUrl: string;
	email: string;
	password: string;
}): Promise<ApiAccount> {
	const http = cookieFetch(baseUrl);
	const { keys } = await signUp(
		{
			api: createAccountApi({ fetch: http.fetch }),
			devices: { ...noDevice, delete: async () => {} }
		},
		{ email, password, rememberDevice: true }
	);

	const profileId = globalThis.crypto.randomUUID();
	const profileKey = await crypto.generateProfileKey({ version: 1 });
	const wrapped = await crypto.wrapProfileKey({
		profileKey,
		profileId,
		recipientPublicKey: keys.keyPair.publicKey
	});
	await createSyncApi({ fetch: http.fetch }).createProfile({
		profileId,
		wrappedProfileKey: toBase64Url(wrapped),
		keyVersion: 1
	});

	const data = await parseRecord('observation', labResult(0));
	const doc = stampRecord({
		kind: 'observation',
		data,
		clock: createClock({ nodeId: newNodeId() })
	});
	const row = { id: globalThis.crypto.randomUUID(), profileId, kind: 'observation' as const };
	const envelope = await sealRecord({ crypto, profileKey, row, doc });
	return {
		userId: keys.userId,
		cookie: http.cookie(),
		profileId,
		entityId: row.id,
		ciphertext: toBase64Url(envelope)
	};
}
