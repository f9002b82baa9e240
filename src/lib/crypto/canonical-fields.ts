import { InvalidArgumentError } from './errors.ts';

const encoder = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// Associated data and KDF labels are sequences of strings. Each is written as a 4-byte big-endian
// byte length followed by its UTF-8, so the encoding is injective: ("ab","c") and ("a","bc") differ,
// which "a"+"b" string concatenation or JSON with unordered keys would not guarantee.
// Written into one buffer: every envelope sealed or opened builds one (bench/store measured the
// many small copies of a piecewise build as costing more than AES-GCM itself).
export function encodeFields(fields: readonly string[]): Uint8Array<ArrayBuffer> {
	return encodeFieldsAfter(new Uint8Array(0), fields);
}

// `prefix` followed by encodeFields(fields), in one allocation. Ids, kinds and labels are ASCII
// in practice, and those are copied code unit by code unit, skipping TextEncoder's allocation
// and the surrogate check (an ASCII string has no surrogates); anything else takes the general
// path. The bytes are the same either way (canonical-fields.test.ts).
export function encodeFieldsAfter(
	prefix: Uint8Array,
	fields: readonly string[]
): Uint8Array<ArrayBuffer> {
	const encoded: (Uint8Array | string)[] = [];
	let length = prefix.length;
	for (const field of fields) {
		if (isAscii(field)) {
			encoded.push(field);
			length += 4 + field.length;
			continue;
		}
		// TextEncoder turns every lone surrogate into U+FFFD, so two different ids would
		// encode alike; refuse them rather than let distinct records share associated data.
		if (LONE_SURROGATE.test(field)) {
			throw new InvalidArgumentError('Field contains a lone UTF-16 surrogate');
		}
		const bytes = encoder.encode(field);
		encoded.push(bytes);
		length += 4 + bytes.length;
	}
	const out = new Uint8Array(length);
	out.set(prefix);
	let offset = prefix.length;
	for (const item of encoded) {
		const size = item.length;
		out[offset] = size >>> 24;
		out[offset + 1] = (size >>> 16) & 0xff;
		out[offset + 2] = (size >>> 8) & 0xff;
		out[offset + 3] = size & 0xff;
		offset += 4;
		if (typeof item === 'string') {
			for (let i = 0; i < size; i++) out[offset + i] = item.charCodeAt(i);
		} else {
			out.set(item, offset);
		}
		offset += size;
	}
	return out;
}

function isAscii(value: string): boolean {
	for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return false;
	return true;
}
