import { describe, expect, it } from 'vitest';
import { contentMatchesType } from './media-signatures.ts';

const bytes = (...parts: (string | number[])[]) =>
	new Uint8Array(
		parts.flatMap((part) =>
			typeof part === 'string' ? [...part].map((char) => char.charCodeAt(0)) : part
		)
	);

const PDF = bytes('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj');
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16], 'JFIF');
const PNG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], 'IHDR');
const WEBP = bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 ');
const TEXT = new TextEncoder().encode('Potassium 4.1 mmol/L (3.5–5.3)\r\n\tSodium 139\f');

describe('an import’s content against its declared type', () => {
	it.each([
		['application/pdf', PDF],
		['image/jpeg', JPEG],
		['image/png', PNG],
		['image/webp', WEBP],
		['text/plain', TEXT]
	] as const)('accepts a real %s', (type, content) => {
		expect(contentMatchesType(content, type)).toBe(true);
	});

	it('accepts a PDF header after up to 1 KiB of leading bytes, not after more', () => {
		expect(contentMatchesType(bytes(' '.repeat(1000), '%PDF-1.4'), 'application/pdf')).toBe(true);
		expect(contentMatchesType(bytes(' '.repeat(1100), '%PDF-1.4'), 'application/pdf')).toBe(false);
	});

	it.each([
		['a PNG declared as a PDF', PNG, 'application/pdf'],
		['a PDF declared as a JPEG', PDF, 'image/jpeg'],
		['a JPEG declared as a PNG', JPEG, 'image/png'],
		[
			'a RIFF that is not WebP (a WAV) declared as WebP',
			bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '),
			'image/webp'
		],
		['a PDF declared as text', PDF, 'text/plain'],
		['binary declared as text', PNG, 'text/plain'],
		['text with a NUL byte', bytes('Sodium 139', [0]), 'text/plain'],
		['invalid UTF-8 declared as text', bytes([0xc3, 0x28]), 'text/plain'],
		['an empty file declared as a JPEG', new Uint8Array(0), 'image/jpeg']
	] as const)('refuses %s', (_, content, type) => {
		expect(contentMatchesType(content, type)).toBe(false);
	});
});
