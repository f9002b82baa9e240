import { jwkThumbprint, toBase64Url, type EcPublicJwk } from '../crypto/index.ts';
import type { UserDb } from '../db/index.ts';
import { KeyChangedError } from './errors.ts';

// Trust on first use for the public keys the server hands out. A Charta user's key pair never
// changes (a new password or a recovery re-wraps the same private key), so once this device has
// wrapped a profile key for someone, a different key under their user id can only mean the
// server is not giving out their real key: nothing is wrapped for it, and the page says so.
// The pins are thumbprints of public keys, kept in the user's settings table.
const pinKey = (userId: string) => `keypin.${userId}`;

export async function checkKeyPin(
	db: UserDb,
	person: { userId: string; email?: string; publicKey: EcPublicJwk }
): Promise<void> {
	const thumbprint = toBase64Url(await jwkThumbprint(person.publicKey));
	await db.transaction('rw', db.settings, async () => {
		const pinned = (await db.settings.get(pinKey(person.userId)))?.value;
		if (pinned === undefined) {
			await db.settings.put({ key: pinKey(person.userId), value: thumbprint });
		} else if (pinned !== thumbprint) {
			throw new KeyChangedError(person.email);
		}
	});
}
