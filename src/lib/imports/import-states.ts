import type { ImportRow, ImportState } from '../db/index.ts';

// States the worker still has work in; the rest wait for the person (ready, failed) or are done.
export const ACTIVE_IMPORT_STATES: readonly ImportState[] = ['queued', 'uploading', 'extracting'];

export const isActiveImport = (row: Pick<ImportRow, 'state'>) =>
	ACTIVE_IMPORT_STATES.includes(row.state);

// A file refused when it was added (empty, too large, not its type) was never stored: its row
// keeps only the reason, and Retry means choosing the file again.
export const hasStoredFile = (row: Pick<ImportRow, 'attachmentId'>) => row.attachmentId !== '';
