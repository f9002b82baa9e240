// A hybrid logical clock stamp (Kulkarni et al., "Logical Physical Clocks", 2014): wall-clock
// milliseconds, a counter for events within one millisecond (or while the wall clock lags a
// stamp we have seen), and the node that made it, which breaks ties so the order is total.
export interface Hlc {
	ms: number;
	counter: number;
	node: string;
}

// Encoded as `mmmmmmmmmmmm-cccc-node`: fixed-width lower-case hex first, so plain string
// comparison is clock order and stamps can be sorted, indexed and compared without decoding.
const MS_DIGITS = 12;
const COUNTER_DIGITS = 4;
export const MAX_HLC_MS = 16 ** MS_DIGITS - 1;
export const MAX_HLC_COUNTER = 16 ** COUNTER_DIGITS - 1;
// A node id starts with a letter or digit, so none can be "__proto__" when used as a key.
const NODE_PATTERN = /^[0-9A-Za-z][0-9A-Za-z_-]{0,63}$/;
const STAMP_PATTERN = /^([0-9a-f]{12})-([0-9a-f]{4})-([0-9A-Za-z][0-9A-Za-z_-]{0,63})$/;

export const NODE_RULE =
	'An HLC node id is 1–64 characters of A–Z, a–z, 0–9, _ or -, starting with a letter or digit';

export class HlcFormatError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'HlcFormatError';
	}
}

export function isValidNodeId(node: string): boolean {
	return NODE_PATTERN.test(node);
}

export function encodeHlc({ ms, counter, node }: Hlc): string {
	if (!Number.isInteger(ms) || ms < 0 || ms > MAX_HLC_MS) {
		throw new HlcFormatError(`HLC milliseconds out of range: ${ms}`);
	}
	if (!Number.isInteger(counter) || counter < 0 || counter > MAX_HLC_COUNTER) {
		throw new HlcFormatError(`HLC counter out of range: ${counter}`);
	}
	if (!isValidNodeId(node)) {
		throw new HlcFormatError(NODE_RULE);
	}
	return `${ms.toString(16).padStart(MS_DIGITS, '0')}-${counter
		.toString(16)
		.padStart(COUNTER_DIGITS, '0')}-${node}`;
}

export function decodeHlc(stamp: string): Hlc {
	const match = STAMP_PATTERN.exec(stamp);
	if (!match) throw new HlcFormatError(`Not an HLC stamp: ${JSON.stringify(stamp)}`);
	const [, ms, counter, node] = match as unknown as [string, string, string, string];
	return { ms: parseInt(ms, 16), counter: parseInt(counter, 16), node };
}

export function isHlc(stamp: unknown): stamp is string {
	return typeof stamp === 'string' && STAMP_PATTERN.test(stamp);
}

export function compareHlc(a: string, b: string): -1 | 0 | 1 {
	return a < b ? -1 : a > b ? 1 : 0;
}

export function maxHlc(a: string, b: string): string {
	return a >= b ? a : b;
}

export function hlcNode(stamp: string): string {
	return decodeHlc(stamp).node;
}

// 64 random bits: unique per device without coordination.
export function newNodeId(): string {
	const bytes = globalThis.crypto.getRandomValues(new Uint8Array(8));
	return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
