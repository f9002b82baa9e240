import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64UrlCodec, type NativeBase64 } from './base64url.ts';
import { EncodingError } from './errors.ts';

const text = (s: string) => new TextEncoder().encode(s);

// Node 20 has no Uint8Array.fromBase64 / toBase64 (Chromium does, and runs them in the browser
// tests and bench/sync). This stand-in behaves as the proposal specifies for the options we
// pass: ASCII whitespace skipped, '=' padding, and with lastChunkHandling 'strict' only whole
// padded chunks with zero unused bits; so it checks what our wrapper adds around it.
const proposalBase64: NativeBase64 = {
	fromBase64(input) {
		const compact = input.replace(/[\t\n\f\r ]/g, '');
		if (!/^[A-Za-z0-9_-]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
			throw new SyntaxError('not base64url');
		}
		const bytes = Buffer.from(compact, 'base64url');
		if (bytes.toString('base64url') !== compact.replace(/=+$/, '')) {
			throw new SyntaxError('non-zero unused bits');
		}
		return new Uint8Array(bytes);
	},
	toBase64: (bytes) => Buffer.from(bytes).toString('base64url')
};

describe.each([
	['lookup tables', base64UrlCodec(undefined)],
	['the built-in Uint8Array base64', base64UrlCodec(proposalBase64)]
])('base64url through %s', (_, { fromBase64Url, toBase64Url }) => {
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
		['a newline', 'Zm9v\nYg'],
		['padding inside', 'Zg==Zm9v'],
		['non-zero unused bits, a second spelling of "f"', 'Zh']
	])('refuses %s with an EncodingError', (_, input) => {
		expect(() => fromBase64Url(input)).toThrow(EncodingError);
	});
});
