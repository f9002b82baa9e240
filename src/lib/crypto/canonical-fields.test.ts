import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFields, encodeFieldsAfter } from './canonical-fields.ts';
import { InvalidArgumentError } from './errors.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('encodeFields', () => {
	it('writes each field as a 4-byte big-endian length and its UTF-8', () => {
		expect(hex(encodeFields(['ab', 'é']))).toBe('00000002' + '6162' + '00000002' + 'c3a9');
	});

	it('keeps apart field lists that plain concatenation would merge', () => {
		expect(hex(encodeFields(['ab', 'c']))).not.toBe(hex(encodeFields(['a', 'bc'])));
		expect(hex(encodeFields(['a', '']))).not.toBe(hex(encodeFields(['a'])));
	});

	it('gives distinct encodings to distinct field lists', () => {
		const fields = fc.array(fc.string({ unit: 'grapheme', maxLength: 6 }), { maxLength: 4 });
		fc.assert(
			fc.property(fields, fields, (a, b) => {
				fc.pre(JSON.stringify(a) !== JSON.stringify(b));
				expect(hex(encodeFields(a))).not.toBe(hex(encodeFields(b)));
			}),
			{ numRuns: 500 }
		);
	});

	it('encodes a list as the concatenation of its parts, so a prefix can be encoded once', () => {
		const fields = fc.array(fc.string({ unit: 'grapheme', maxLength: 6 }), { maxLength: 4 });
		fc.assert(
			fc.property(fields, fields, (a, b) => {
				expect(hex(encodeFields([...a, ...b]))).toBe(hex(encodeFields(a)) + hex(encodeFields(b)));
			}),
			{ numRuns: 300 }
		);
	});

	it('writes ASCII fields (copied directly) exactly as UTF-8 through TextEncoder would', () => {
		const utf8 = (fields: string[]) =>
			fields
				.map((field) => {
					const bytes = new TextEncoder().encode(field);
					return bytes.length.toString(16).padStart(8, '0') + hex(bytes);
				})
				.join('');
		const field = fc.oneof(fc.string({ unit: 'binary-ascii' }), fc.string({ unit: 'grapheme' }));
		const fields = fc.array(field, { maxLength: 4 });
		fc.assert(
			fc.property(fields, (list) => {
				expect(hex(encodeFields(list))).toBe(utf8(list));
				expect(hex(encodeFieldsAfter(new Uint8Array([7]), list))).toBe('07' + utf8(list));
			}),
			{ numRuns: 500 }
		);
	});

	it('refuses lone surrogates, which UTF-8 encoding would collapse into U+FFFD', () => {
		expect(() => encodeFields(['\uD800'])).toThrow(InvalidArgumentError);
		expect(() => encodeFields(['x\uDC00'])).toThrow(InvalidArgumentError);
		expect(() => encodeFields(['\uD83D\uDE00'])).not.toThrow();
	});
});
