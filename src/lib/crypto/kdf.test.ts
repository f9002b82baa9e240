import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, KdfParamsError } from './errors.ts';
import { deriveMasterKey } from './kdf.ts';
import type { KdfParams } from './kdf-params.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
// bytes 0x00..0x0f
const SALT = 'AAECAwQFBgcICQoLDA0ODw';

// Expected values were computed independently of hash-wasm and WebCrypto, with Python's
// `cryptography` 48.0.0 (OpenSSL's Argon2id) and `hashlib.pbkdf2_hmac`, on the NFC UTF-8 password.
describe('deriveMasterKey', () => {
	it('derives the known key with the real default (Argon2id 64 MiB, t=3, p=1), normalising to NFC', async () => {
		const decomposed = 'Grüße aus Köln, ärztlich'.normalize('NFD');
		const started = performance.now();
		const key = await deriveMasterKey({
			password: decomposed,
			params: { algorithm: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 1, salt: SALT }
		});
		console.info(`argon2id default params: ${Math.round(performance.now() - started)} ms`);
		expect(hex(key)).toBe('8af67bc8a8c35497558726ae471a95a8f14830e293791f5bb5b8e2db1f0d6b59');
	});

	it('derives the known key with the PBKDF2-SHA256 fallback at 600,000 iterations', async () => {
		const key = await deriveMasterKey({
			password: 'correct horse battery staple',
			params: { algorithm: 'pbkdf2-sha256', iterations: 600_000, salt: SALT }
		});
		expect(hex(key)).toBe('ef177144eec9420cbc1093d2a8b344a92bc506d0d4ec9c028dd19f8324d8c1e6');
	});

	it('refuses weaker parameters before doing any work, even when the type says they are fine', async () => {
		const weak = {
			algorithm: 'argon2id',
			memoryKiB: 1024,
			iterations: 1,
			parallelism: 1,
			salt: SALT
		};
		await expect(deriveMasterKey({ password: 'pw', params: weak as KdfParams })).rejects.toThrow(
			KdfParamsError
		);
	});

	it('refuses an empty password', async () => {
		await expect(
			deriveMasterKey({
				password: '',
				params: { algorithm: 'pbkdf2-sha256', iterations: 600_000, salt: SALT }
			})
		).rejects.toThrow(InvalidArgumentError);
	});
});
