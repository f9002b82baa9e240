import { bufferSource } from './bytes.ts';
import type { EcPublicJwk } from './key-pair.ts';
import { getSubtle } from './webcrypto.ts';

// A user's public key as people can compare it: the server hands out public keys for sharing, so
// a server that lied could slip in its own and receive a profile key. The RFC 7638 thumbprint
// (SHA-256 over the key's required members in lexicographic order, no whitespace) identifies the
// key; the safety code shows it as 6 groups of 5 digits (each group a 40-bit slice of the
// thumbprint mod 100,000, ≈ 100 bits in all) that two people can read to each other.
export async function jwkThumbprint(jwk: EcPublicJwk): Promise<Uint8Array> {
	const canonical = `{"crv":${JSON.stringify(jwk.crv)},"kty":${JSON.stringify(jwk.kty)},"x":${JSON.stringify(jwk.x)},"y":${JSON.stringify(jwk.y)}}`;
	const digest = await getSubtle().digest(
		'SHA-256',
		bufferSource(new TextEncoder().encode(canonical))
	);
	return new Uint8Array(digest);
}

export const SAFETY_CODE_GROUPS = 6;

export function formatSafetyCode(thumbprint: Uint8Array): string {
	const groups: string[] = [];
	for (let group = 0; group < SAFETY_CODE_GROUPS; group++) {
		let slice = 0;
		for (let i = 0; i < 5; i++) slice = slice * 256 + thumbprint[group * 5 + i]!;
		groups.push(String(slice % 100_000).padStart(5, '0'));
	}
	return groups.join(' ');
}

export async function safetyCode(jwk: EcPublicJwk): Promise<string> {
	return formatSafetyCode(await jwkThumbprint(jwk));
}
