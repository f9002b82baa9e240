import { Dexie, type Table } from 'dexie';

// The floor our write path is compared with: what any app storing the same bytes encrypted must
// do at least. AES-GCM with a random 96-bit IV per record, straight through crypto.subtle, and
// one Dexie bulkPut of { id, envelope } rows into a table with no secondary index.
export async function rawEncryptStore({
	name,
	ids,
	plaintexts
}: {
	name: string;
	ids: readonly string[];
	plaintexts: readonly Uint8Array<ArrayBuffer>[];
}): Promise<{ ms: number; encryptMs: number; putMs: number }> {
	const db = new Dexie(name) as Dexie & {
		rows: Table<{ id: string; envelope: Uint8Array }, string>;
	};
	db.version(1).stores({ rows: 'id' });
	await db.open();
	const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
		'encrypt',
		'decrypt'
	]);
	try {
		const started = performance.now();
		const rows = await Promise.all(
			plaintexts.map(async (plaintext, index) => {
				const iv = crypto.getRandomValues(new Uint8Array(12));
				const sealed = new Uint8Array(
					await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, plaintext)
				);
				const envelope = new Uint8Array(iv.length + sealed.length);
				envelope.set(iv);
				envelope.set(sealed, iv.length);
				return { id: ids[index]!, envelope };
			})
		);
		const encrypted = performance.now();
		await db.rows.bulkPut(rows);
		const done = performance.now();
		return { ms: done - started, encryptMs: encrypted - started, putMs: done - encrypted };
	} finally {
		db.close();
		await Dexie.delete(name);
	}
}
