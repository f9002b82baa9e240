import type { CryptoKey } from '../../../src/lib/crypto/webcrypto.ts';
import type { AnalysisEvent, Processing } from '../../../src/lib/shared/analyses.ts';
import type { AnalyseInput, Provider } from '../ai/provider.ts';
import type { Logger } from '../logger.ts';
import { runAnalysis } from './analysis-run.ts';
import type { Job, JobStore } from './job-store.ts';

export interface AnalysisJobs {
	start(input: {
		userId: string;
		publicKey: CryptoKey;
		processing: Processing;
		input: AnalyseInput;
	}): Job;
	/** The caller's analysis, or undefined for an unknown one and for someone else's alike. */
	find(analysisId: string, userId: string): Job | undefined;
	/** How many of the user's analyses are still working (each holds its records in memory). */
	running(userId: string): number;
	/** Whether `processing: 'cloud'` has a provider to go to. */
	readonly hasCloud: boolean;
}

/**
 * Analyses in the shared job store (job-store.ts). The records the person chose are plaintext
 * only in the running job's memory and are let go of when it ends; the deltas and the result
 * are sealed to the job's key as they are made.
 */
export function createAnalysisJobs({
	store,
	provider,
	cloudProvider,
	logger,
	coalesceMs
}: {
	store: JobStore;
	provider: Provider;
	cloudProvider?: Provider;
	logger: Logger;
	coalesceMs?: number;
}): AnalysisJobs {
	return {
		hasCloud: cloudProvider !== undefined,
		start({ userId, publicKey, processing, input }) {
			const chosen = processing === 'cloud' && cloudProvider ? cloudProvider : provider;
			let held: AnalyseInput | undefined = input;
			return store.start<AnalysisEvent>({
				kind: 'analysis',
				userId,
				publicKey,
				work: async ({ jobId, emit, signal }) => {
					const started = performance.now();
					const records = held!.records.length;
					try {
						const { outcome, characters } = await runAnalysis({
							input: held!,
							provider: chosen,
							emit,
							signal,
							coalesceMs
						});
						logger.info(
							{
								jobId,
								provider: chosen.name,
								records,
								characters,
								outcome,
								ms: Math.round(performance.now() - started)
							},
							'analysis finished'
						);
					} finally {
						held = undefined;
					}
				}
			});
		},
		find: (analysisId, userId) => store.find('analysis', analysisId, userId),
		running: (userId) => store.running('analysis', userId)
	};
}
