import { CryptoError } from './errors.ts';

// Derived from the global rather than named, so these files type-check both with the DOM lib
// (page, service worker) and with only @types/node (the sync-server's tsconfig has no DOM).
export type Subtle = typeof globalThis.crypto.subtle;
export type CryptoKey = Awaited<ReturnType<Subtle['importKey']>>;
export interface CryptoKeyPair {
	publicKey: CryptoKey;
	privateKey: CryptoKey;
}

// Looked up on each call: browsers only expose crypto.subtle in secure contexts, and a clear
// error at use beats "cannot read properties of undefined" at import time.
export function getSubtle(): Subtle {
	const subtle = globalThis.crypto?.subtle as Subtle | undefined;
	if (!subtle) {
		throw new CryptoError('WebCrypto is unavailable here (it needs https or localhost)');
	}
	return subtle;
}
