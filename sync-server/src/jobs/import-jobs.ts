import type { CryptoKey } from '../../../src/lib/crypto/webcrypto.ts';
import type { ImportEvent, ImportMediaType } from '../../../src/lib/shared/imports.ts';
import type { Provider } from '../ai/provider.ts';
import type { Logger } from '../logger.ts';
import { createJobStore, logJobError, type Job, type JobStore } from './job-store.ts';
import { runImport } from './run-import.ts';

export type { JobListener, SealedEvent } from './job-store.ts';
export type ImportJob = Job;

/** Who does the work: the local provider always, a cloud one only for `processing: 'cloud'`. */
export type Processing = 'local' | 'cloud';

export interface ImportJobs {
	start(input: {
		userId: string;
		publicKey: CryptoKey;
		bytes: Uint8Array;
		mediaType: ImportMediaType;
		processing?: Processing;
	}): ImportJob;
	/** The caller's job, or undefined for an unknown job and for someone else's alike. */
	find(jobId: string, userId: string): ImportJob | undefined;
	/** How many of the user's jobs are still working (each holds its file in memory). */
	running(userId: string): number;
	/** Whether `processing: 'cloud'` has a provider to go to. */
	readonly hasCloud: boolean;
	/** Forgets every job and timer (tests, shutdown). */
	close(): void;
}

/**
 * Import jobs in the shared job store (job-store.ts): the file lives only while runImport
 * works on it and is zeroed after; the events are sealed to the job's key.
 */
export function createImportJobs({
	provider,
	cloudProvider,
	logger,
	retainMs,
	store = createJobStore({ retainMs, onError: logJobError(logger) })
}: {
	provider: Provider;
	cloudProvider?: Provider;
	logger: Logger;
	retainMs?: number;
	/** Shared with the analysis jobs in the app; its own otherwise. */
	store?: JobStore;
}): ImportJobs {
	return {
		hasCloud: cloudProvider !== undefined,
		start({ userId, publicKey, bytes, mediaType, processing = 'local' }) {
			const chosen = processing === 'cloud' && cloudProvider ? cloudProvider : provider;
			return store.start<ImportEvent>({
				kind: 'import',
				userId,
				publicKey,
				work: async ({ jobId, emit, signal }) => {
					const started = performance.now();
					try {
						const { outcome } = await runImport({
							bytes,
							mediaType,
							provider: chosen,
							emit,
							signal
						});
						logger.info(
							{
								jobId,
								mediaType,
								provider: chosen.name,
								size: bytes.length,
								outcome,
								ms: Math.round(performance.now() - started)
							},
							'import finished'
						);
					} finally {
						bytes.fill(0);
					}
				}
			});
		},
		find: (jobId, userId) => store.find('import', jobId, userId),
		running: (userId) => store.running('import', userId),
		close: () => store.close()
	};
}
