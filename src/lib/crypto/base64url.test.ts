import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from './base64url.ts';
import { EncodingError } from './errors.ts';

const text = (s: string) => new TextEncoder().encode(s);

describe('base64url', () => {
	it.each([
		['', ''],
		['f', 'Zg'],
		['fo', 'Zm8'],
		['foo', 'Zm9v'],
		['foob', 'Zm9vYg'],
		['fooba', 'Zm9vYmE'],
		['foobar', 'Zm9vYmFy']
	])('encodes the RFC 4648 §10 vector %j without padding', (plain, encoded) => {
		expect(toBase64Url(text(plain))).toBe(encoded);
		expect(fromBase64Url(encoded)).toEqual(text(plain));
	});

	it('uses the URL-safe alphabet', () => {
		expect(toBase64Url(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_');
	});

	it('round-trips any bytes and agrees with Node', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
				const encoded = toBase64Url(bytes);
				expect(encoded).toBe(Buffer.from(bytes).toString('base64url'));
				expect(fromBase64Url(encoded)).toEqual(bytes);
			})
		);
	});

	it.each([
		['padding', 'Zg=='],
		['standard-base64 characters', 'ab+/'],
		['whitespace', 'Zm9v Yg'],
		['an impossible length', 'Zm9vY'],
		['non-zero unused bits, a second spelling of "f"', 'Zh']
	])('refuses %s with an EncodingError', (_, input) => {
		expect(() => fromBase64Url(input)).toThrow(EncodingError);
	});
});
