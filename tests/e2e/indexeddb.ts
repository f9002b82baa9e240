import type { Page } from '@playwright/test';

/**
 * Every record of every IndexedDB database of the page's origin, as one string: JSON for values,
 * and every binary value (Uint8Array, ArrayBuffer, Blob) decoded byte-for-byte as Latin-1, so a
 * plaintext string stored anywhere, in any form, shows up in a substring search.
 */
export function dumpIndexedDb(page: Page): Promise<string> {
	return page.evaluate(async () => {
		const bytesToText = (bytes: Uint8Array) => {
			let text = '';
			for (const byte of bytes) text += String.fromCharCode(byte);
			return text;
		};
		const flatten = async (value: unknown): Promise<string> => {
			if (value instanceof Uint8Array) return bytesToText(value);
			if (value instanceof ArrayBuffer) return bytesToText(new Uint8Array(value));
			if (ArrayBuffer.isView(value)) {
				return bytesToText(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
			}
			if (value instanceof Blob) return bytesToText(new Uint8Array(await value.arrayBuffer()));
			if (Array.isArray(value)) return (await Promise.all(value.map(flatten))).join('\u0000');
			if (value && typeof value === 'object') {
				const parts: string[] = [];
				for (const [key, inner] of Object.entries(value)) parts.push(key, await flatten(inner));
				return parts.join('\u0000');
			}
			return String(value);
		};
		const parts: string[] = [];
		for (const { name } of await indexedDB.databases()) {
			if (!name) continue;
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const request = indexedDB.open(name);
				request.onsuccess = () => resolve(request.result);
				request.onerror = () => reject(request.error);
			});
			for (const storeName of Array.from(db.objectStoreNames)) {
				const rows = await new Promise<unknown[]>((resolve, reject) => {
					const request = db.transaction(storeName).objectStore(storeName).getAll();
					request.onsuccess = () => resolve(request.result);
					request.onerror = () => reject(request.error);
				});
				parts.push(`[${name}/${storeName}]`, await flatten(rows));
			}
			db.close();
		}
		return parts.join('\n');
	});
}

/**
 * Changes waiting in the signed-in user's outbox (rows; an import's batch row counts once). The
 * header's "Synced" can still show the previous sync for a moment after a save, until its status
 * refresh runs: tests that need the queue empty wait for this instead.
 */
export function outboxRows(page: Page): Promise<number> {
	return page.evaluate(async () => {
		const name = (await indexedDB.databases()).find((d) =>
			d.name?.startsWith('charta-user-')
		)?.name;
		if (!name) return -1;
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const request = indexedDB.open(name);
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		try {
			return await new Promise<number>((resolve, reject) => {
				const request = db.transaction('outbox').objectStore('outbox').count();
				request.onsuccess = () => resolve(request.result);
				request.onerror = () => reject(request.error);
			});
		} finally {
			db.close();
		}
	});
}
