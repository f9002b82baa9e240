import { concatBytes, writeUint32BE } from './bytes.ts';
import { InvalidArgumentError } from './errors.ts';

const encoder = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// Associated data and KDF labels are sequences of strings. Each is written as a 4-byte big-endian
// byte length followed by its UTF-8, so the encoding is injective: ("ab","c") and ("a","bc") differ,
// which "a"+"b" string concatenation or JSON with unordered keys would not guarantee.
export function encodeFields(fields: readonly string[]): Uint8Array<ArrayBuffer> {
	return concatBytes(
		...fields.flatMap((field) => {
			// TextEncoder turns every lone surrogate into U+FFFD, so two different ids would
			// encode alike; refuse them rather than let distinct records share associated data.
			if (LONE_SURROGATE.test(field)) {
				throw new InvalidArgumentError('Field contains a lone UTF-16 surrogate');
			}
			const bytes = encoder.encode(field);
			return [writeUint32BE(bytes.length), bytes];
		})
	);
}
