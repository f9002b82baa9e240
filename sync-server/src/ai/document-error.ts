import type { DocumentProblem } from '../../../src/lib/shared/extraction/extraction.ts';

// One error for "this document cannot be read"; the job turns `problem` into its failure reason
// (shown with Retry / Delete). The message names the problem, never the document's content.
export class DocumentError extends Error {
	constructor(
		readonly problem: DocumentProblem,
		message: string,
		options?: { cause?: unknown }
	) {
		super(message, options);
		this.name = 'DocumentError';
	}
}
