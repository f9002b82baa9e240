import type { Canvas } from '@napi-rs/canvas';
import { Extraction } from '../../../src/lib/shared/extraction/extraction.ts';
import type { ImportEvent, ImportMediaType } from '../../../src/lib/shared/imports.ts';
import { DocumentError } from '../ai/document-error.ts';
import { OcrTimeout } from '../ai/ocr/ocr-engine.ts';
import { readImageText } from '../ai/ocr/read-image-text.ts';
import { readPdfText } from '../ai/pdf-text.ts';
import type { ExtractInput, Provider } from '../ai/provider.ts';

/** Why the job failed, in words the person can act on; never the document's content. */
export class ImportFailed extends Error {
	constructor(
		readonly code: Extract<ImportEvent, { event: 'error' }>['data']['code'],
		message: string
	) {
		super(message);
		this.name = 'ImportFailed';
	}
}

type Reading = {
	bytes: Uint8Array;
	mediaType: ImportMediaType;
	provider: Provider;
	emit: (event: ImportEvent) => void;
	signal?: AbortSignal;
};

const reading = (percent: number): ImportEvent => ({
	event: 'progress',
	data: { stage: 'reading', percent }
});

// OCR of one page on this server; undefined when nothing on it is legible.
async function ocrText(picture: Uint8Array | Canvas, signal?: AbortSignal) {
	const read = await readImageText(picture, signal ? { signal } : {});
	return read.legible ? read.text : undefined;
}

async function readInput({
	bytes,
	mediaType,
	provider,
	emit,
	signal
}: Reading): Promise<ExtractInput> {
	if (mediaType === 'text/plain') {
		// Pages split at form feeds, as text copied from a printed report marks them.
		emit(reading(100));
		return {
			kind: 'text',
			pages: new TextDecoder()
				.decode(bytes)
				.split('\f')
				.map((text, index) => ({ page: index + 1, text }))
		};
	}
	if (mediaType !== 'application/pdf') {
		// Cloud providers read the photo with their vision model; the local one needs OCR here.
		if (provider.name !== 'local') {
			emit(reading(100));
			return { kind: 'images', pages: [{ page: 1, mediaType, bytes }] };
		}
		const text = await ocrText(bytes, signal);
		if (text === undefined) {
			throw new ImportFailed(
				'no-text',
				'No legible text was found in the photo (blank, blurred or too dark?). Try a sharper photo, or add the report as a PDF or as text.'
			);
		}
		emit(reading(100));
		return { kind: 'text', pages: [{ page: 1, text }] };
	}
	// Pages with a text layer are read as they are; the others (scans) rendered and OCR'd here,
	// whichever provider extracts, so a scanned PDF reads like a photo.
	const pages = await readPdfText({
		data: bytes,
		readScan: (_page, picture) => ocrText(picture, signal),
		onPage: (done, total) => {
			if (done < total) emit(reading(Math.round((100 * done) / total)));
		}
	});
	const read = pages.flatMap((page) =>
		page.status === 'no-text-layer' ? [] : [{ page: page.page, text: page.text }]
	);
	if (read.length === 0) {
		throw new ImportFailed(
			'no-text',
			`No legible text was found in the PDF: ${pages.length === 1 ? 'its page is blank or an unreadable scan' : 'its pages are blank or unreadable scans'}.`
		);
	}
	emit(reading(100));
	return {
		kind: 'text',
		pages: read,
		noTextPages: pages.flatMap((page) => (page.status === 'no-text-layer' ? [page.page] : []))
	};
}

/**
 * One import, from the file's bytes to its extraction: `progress` as it goes, then `result` or
 * `error`, and always `done` last. Never throws; the caller releases the bytes afterwards.
 */
export async function runImport({
	bytes,
	mediaType,
	provider,
	emit,
	signal
}: {
	bytes: Uint8Array;
	mediaType: ImportMediaType;
	provider: Provider;
	emit: (event: ImportEvent) => void;
	signal?: AbortSignal;
}): Promise<{ outcome: 'result' | ImportFailed['code'] }> {
	let outcome: 'result' | ImportFailed['code'];
	try {
		emit(reading(0));
		const input = await readInput({
			bytes,
			mediaType,
			provider,
			emit,
			...(signal ? { signal } : {})
		});
		emit({ event: 'progress', data: { stage: 'extracting', percent: 0 } });
		const extraction = Extraction.parse(await provider.extract(input, signal ? { signal } : {}));
		emit({ event: 'progress', data: { stage: 'extracting', percent: 100 } });
		emit({ event: 'result', data: { extraction } });
		outcome = 'result';
	} catch (error) {
		const failure =
			error instanceof ImportFailed
				? error
				: error instanceof DocumentError
					? new ImportFailed(error.problem, `${error.message}.`)
					: error instanceof OcrTimeout
						? new ImportFailed(
								'extraction-failed',
								'Reading the text of the picture took too long. Please try again later.'
							)
						: new ImportFailed(
								'extraction-failed',
								'The lab values could not be extracted. Please try again later.'
							);
		emit({ event: 'error', data: { code: failure.code, message: failure.message } });
		outcome = failure.code;
	}
	emit({ event: 'done', data: {} });
	return { outcome };
}
