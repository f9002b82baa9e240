import { describe, expect, it } from 'vitest';
import { deriveAccountKeys } from './account-keys.ts';
import { splitMasterKey } from './hkdf-split.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('deriveAccountKeys', () => {
	it('is the master-key split of the password-derived key', async () => {
		const { authKey } = await deriveAccountKeys({
			password: 'correct horse battery staple',
			params: { algorithm: 'pbkdf2-sha256', iterations: 600_000, salt: 'AAECAwQFBgcICQoLDA0ODw' }
		});
		// The PBKDF2 known answer from kdf.test.ts.
		const master = Buffer.from(
			'ef177144eec9420cbc1093d2a8b344a92bc506d0d4ec9c028dd19f8324d8c1e6',
			'hex'
		);
		expect(hex(authKey)).toBe(hex((await splitMasterKey(master)).authKey));
	});
});
