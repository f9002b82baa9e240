import { describe, expect, it } from 'vitest';
import { IMPORT_MAX_FILE_BYTES } from '../shared/imports.ts';
import { checkFileContent, checkFileHeader, sniffMediaType } from './media-type.ts';

const bytes = (...values: number[]) => new Uint8Array(values);
const text = (value: string) => new TextEncoder().encode(value);

describe('checking a file before it is stored for import', () => {
	it('refuses an empty file, one over the limit and a type that cannot be imported', () => {
		expect(checkFileHeader({ size: 0, type: 'application/pdf' })).toMatchObject({
			code: 'empty_file'
		});
		expect(
			checkFileHeader({ size: IMPORT_MAX_FILE_BYTES + 1, type: 'application/pdf' })
		).toMatchObject({ code: 'payload_too_large', message: expect.stringContaining('20 MB') });
		expect(checkFileHeader({ size: 10, type: 'application/zip' })).toMatchObject({
			code: 'unsupported_type'
		});
		expect(checkFileHeader({ size: 10, type: 'Text/Plain; charset=utf-8' })).toBe('text/plain');
	});

	it('tells each accepted type by its first bytes', () => {
		expect(sniffMediaType(text('%PDF-1.7\n'))).toBe('application/pdf');
		expect(sniffMediaType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
		expect(sniffMediaType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe('image/png');
		expect(sniffMediaType(text('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
		expect(sniffMediaType(text('Sodium 139 mmol/L\n'))).toBe('text/plain');
		expect(sniffMediaType(bytes(0, 1, 2, 3))).toBeUndefined();
	});

	it('refuses content that is not its declared type, and accepts text that mentions %PDF-', () => {
		expect(checkFileContent(text('just words'), 'application/pdf')).toMatchObject({
			code: 'type_mismatch',
			message: "The file's content is not application/pdf, the type it was sent as."
		});
		expect(checkFileContent(text('%PDF-1.4 but saved as text'), 'text/plain')).toMatchObject({
			code: 'type_mismatch'
		});
		expect(checkFileContent(text('The header "%PDF-" starts a PDF.'), 'text/plain')).toBeNull();
		expect(checkFileContent(bytes(0xff, 0xd8, 0xff, 0xdb), 'image/png')).not.toBeNull();
	});
});
