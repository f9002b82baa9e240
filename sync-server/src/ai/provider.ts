import type {
	Extraction,
	ExtractionProvider
} from '../../../src/lib/shared/extraction/extraction.ts';
import type { RecordData, RecordKind } from '../../../src/lib/shared/records/index.ts';

// A document as a provider receives it: text per page (from a PDF's text layer, OCR, or pasted),
// or page images for providers that read them (cloud vision models; the local provider reads
// images only once OCR has turned them into text).
export type PageText = { page: number; text: string };
export type PageImage = {
	page: number;
	mediaType: 'image/png' | 'image/jpeg' | 'image/webp';
	bytes: Uint8Array;
};

export type ExtractInput =
	| { kind: 'text'; pages: PageText[]; noTextPages?: number[] }
	| { kind: 'images'; pages: PageImage[] };

// The decrypted records the person chose to send (minimum necessary).
export type AnalysisRecord = {
	[K in RecordKind]: { kind: K; id: string; data: RecordData<K> };
}[RecordKind];
export type AnalyseInput = { records: AnalysisRecord[]; language?: string };

export type ProviderCallOptions = { signal?: AbortSignal };

export interface Provider {
	readonly name: ExtractionProvider;
	// Results must parse with the shared Extraction schema; a provider whose answer does not
	// throws rather than returning something partial.
	extract(input: ExtractInput, options?: ProviderCallOptions): Promise<Extraction>;
	// The summary as text deltas, in order, as the model writes them.
	analyse(input: AnalyseInput, options?: ProviderCallOptions): AsyncIterable<string>;
}
