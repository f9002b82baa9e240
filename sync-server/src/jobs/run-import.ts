import { Extraction } from '../../../src/lib/shared/extraction/extraction.ts';
import type { ImportEvent, ImportMediaType } from '../../../src/lib/shared/imports.ts';
import { DocumentError } from '../ai/document-error.ts';
import { readPdfText } from '../ai/pdf-text.ts';
import type { PageText, Provider } from '../ai/provider.ts';

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

async function readPages(bytes: Uint8Array, mediaType: ImportMediaType): Promise<PageText[]> {
	if (mediaType === 'text/plain') {
		// Pages split at form feeds, as text copied from a printed report marks them.
		return new TextDecoder()
			.decode(bytes)
			.split('\f')
			.map((text, index) => ({ page: index + 1, text }));
	}
	if (mediaType !== 'application/pdf') {
		throw new ImportFailed(
			'unsupported-input',
			'Photos cannot be read yet: reading text from images (OCR) is still to come. Add the report as a PDF or as text.'
		);
	}
	const pages = await readPdfText({ data: bytes });
	const scanned = pages.filter((page) => page.status === 'no-text-layer').map((page) => page.page);
	if (scanned.length > 0) {
		throw new ImportFailed(
			'needs-ocr',
			`${scanned.length === 1 ? 'Page' : 'Pages'} ${scanned.join(', ')} of the PDF ${scanned.length === 1 ? 'has' : 'have'} no text layer (a scan?); reading scans (OCR) is still to come.`
		);
	}
	return pages.flatMap((page) =>
		page.status === 'text' ? [{ page: page.page, text: page.text }] : []
	);
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
		emit({ event: 'progress', data: { stage: 'reading', percent: 0 } });
		const pages = await readPages(bytes, mediaType);
		emit({ event: 'progress', data: { stage: 'reading', percent: 100 } });
		emit({ event: 'progress', data: { stage: 'extracting', percent: 0 } });
		const extraction = Extraction.parse(
			await provider.extract({ kind: 'text', pages }, signal ? { signal } : {})
		);
		emit({ event: 'progress', data: { stage: 'extracting', percent: 100 } });
		emit({ event: 'result', data: { extraction } });
		outcome = 'result';
	} catch (error) {
		const failure =
			error instanceof ImportFailed
				? error
				: error instanceof DocumentError
					? new ImportFailed(error.problem, `${error.message}.`)
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
