import { describe, expect, it } from 'vitest';
import { encodeFields } from './canonical-fields.ts';
import { InvalidArgumentError } from './errors.ts';
import { hkdfSha256 } from './hkdf.ts';
import { splitMasterKey } from './hkdf-split.ts';
import { generateUserKeyPair } from './key-pair.ts';
import { unwrapPrivateKey, wrapPrivateKey } from './private-key-wrap.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const master = () => crypto.getRandomValues(new Uint8Array(32));

describe('splitMasterKey', () => {
	it('derives the auth key as HKDF-SHA256(master, info "charta/v1/auth-key"), so every client agrees', async () => {
		const masterKey = master();
		const { authKey } = await splitMasterKey(masterKey);
		const expected = await hkdfSha256({
			ikm: masterKey,
			salt: new Uint8Array(0),
			info: encodeFields(['charta', 'v1', 'auth-key']),
			length: 32
		});
		expect(hex(authKey)).toBe(hex(expected));
	});

	it('gives a non-extractable KEK that only wraps and unwraps, the same one each time', async () => {
		const masterKey = master();
		const first = await splitMasterKey(masterKey);
		const second = await splitMasterKey(masterKey);
		expect(first.kek.extractable).toBe(false);
		expect([...first.kek.usages].sort()).toEqual(['unwrapKey', 'wrapKey']);
		const { privateKey } = await generateUserKeyPair();
		const wrapped = await wrapPrivateKey({ privateKey, wrappingKey: first.kek });
		await expect(unwrapPrivateKey({ wrapped, wrappingKey: second.kek })).resolves.toBeDefined();
	});

	it('keeps the KEK independent of the auth key: the KEK is not the auth key used as a key', async () => {
		const { authKey, kek } = await splitMasterKey(master());
		const authAsKey = await crypto.subtle.importKey('raw', authKey, 'AES-GCM', false, [
			'wrapKey',
			'unwrapKey'
		]);
		const { privateKey } = await generateUserKeyPair();
		const wrapped = await wrapPrivateKey({ privateKey, wrappingKey: kek });
		await expect(unwrapPrivateKey({ wrapped, wrappingKey: authAsKey })).rejects.toThrow();
	});

	it('gives different auth keys for different master keys', async () => {
		const a = await splitMasterKey(master());
		const b = await splitMasterKey(master());
		expect(hex(a.authKey)).not.toBe(hex(b.authKey));
	});

	it('refuses a master key that is not 32 bytes', async () => {
		await expect(splitMasterKey(new Uint8Array(31))).rejects.toThrow(InvalidArgumentError);
	});
});
