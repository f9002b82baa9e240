import { argon2id } from 'hash-wasm';
import { fromBase64Url } from './base64url.ts';
import { InvalidArgumentError } from './errors.ts';
import { MASTER_KEY_BYTES } from './hkdf-split.ts';
import { parseKdfParams, type KdfParams } from './kdf-params.ts';
import { pbkdf2Sha256 } from './pbkdf2.ts';

const encoder = new TextEncoder();

// Master password -> 32-byte master key. The params are re-validated here, not only at the
// boundary, so no code path can derive with parameters below policy.
export async function deriveMasterKey({
	password,
	params
}: {
	password: string;
	params: KdfParams;
}): Promise<Uint8Array> {
	const checked = parseKdfParams(params);
	if (password.length === 0) {
		throw new InvalidArgumentError('The master password must not be empty');
	}
	// NFC (as RFC 8265's OpaqueString profile does): the same password typed on macOS and on
	// Android can arrive as different code-point sequences and must derive the same key.
	const passwordBytes = encoder.encode(password.normalize('NFC'));
	const salt = fromBase64Url(checked.salt);
	try {
		if (checked.algorithm === 'pbkdf2-sha256') {
			return await pbkdf2Sha256({
				password: passwordBytes,
				salt,
				iterations: checked.iterations,
				length: MASTER_KEY_BYTES
			});
		}
		return await argon2id({
			password: passwordBytes,
			salt,
			memorySize: checked.memoryKiB,
			iterations: checked.iterations,
			parallelism: checked.parallelism,
			hashLength: MASTER_KEY_BYTES,
			outputType: 'binary'
		});
	} finally {
		passwordBytes.fill(0);
	}
}
