import { splitMasterKey, type AccountKeys } from './hkdf-split.ts';
import { deriveMasterKey } from './kdf.ts';
import type { KdfParams } from './kdf-params.ts';

// Password -> auth key + KEK in one step, so the master key never outlives this function.
export async function deriveAccountKeys(input: {
	password: string;
	params: KdfParams;
}): Promise<AccountKeys> {
	const masterKey = await deriveMasterKey(input);
	try {
		return await splitMasterKey(masterKey);
	} finally {
		masterKey.fill(0);
	}
}
