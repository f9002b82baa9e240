import { InvalidArgumentError } from './errors.ts';

const encoder = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// Associated data and KDF labels are sequences of strings. Each is written as a 4-byte big-endian
// byte length followed by its UTF-8, so the encoding is injective: ("ab","c") and ("a","bc") differ,
// which "a"+"b" string concatenation or JSON with unordered keys would not guarantee.
// Written into one buffer: every envelope sealed or opened builds one (bench/store measured the
// many small copies of a piecewise build as costing more than AES-GCM itself).
export function encodeFields(fields: readonly string[]): Uint8Array<ArrayBuffer> {
	const encoded = fields.map((field) => {
		// TextEncoder turns every lone surrogate into U+FFFD, so two different ids would
		// encode alike; refuse them rather than let distinct records share associated data.
		if (LONE_SURROGATE.test(field)) {
			throw new InvalidArgumentError('Field contains a lone UTF-16 surrogate');
		}
		return encoder.encode(field);
	});
	let length = 0;
	for (const bytes of encoded) length += 4 + bytes.length;
	const out = new Uint8Array(length);
	const view = new DataView(out.buffer);
	let offset = 0;
	for (const bytes of encoded) {
		view.setUint32(offset, bytes.length);
		out.set(bytes, offset + 4);
		offset += 4 + bytes.length;
	}
	return out;
}
