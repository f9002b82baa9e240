export {
	Comparator,
	DocumentProblem,
	ExtractedLabResult,
	ExtractedRange,
	ExtractedValue,
	Extraction,
	ExtractionProvider,
	PageOutcome,
	Provenance
} from './extraction.ts';
export { toObservation } from './to-observation.ts';
