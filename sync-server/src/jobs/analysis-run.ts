import {
	ANALYSIS_MAX_TEXT,
	type AnalysisEvent,
	type AnalysisFailure
} from '../../../src/lib/shared/analyses.ts';
import { ProviderAnswerError } from '../ai/cloud/provider-errors.ts';
import type { AnalyseInput, Provider } from '../ai/provider.ts';

class AnalysisFailed extends Error {
	constructor(
		readonly code: AnalysisFailure['code'],
		message: string
	) {
		super(message);
		this.name = 'AnalysisFailed';
	}
}

// Why it failed, in words the person can act on; never the model's output or the records.
function failure(error: unknown, signal: AbortSignal): AnalysisFailed {
	if (signal.aborted) return new AnalysisFailed('cancelled', 'The analysis was cancelled.');
	if (error instanceof AnalysisFailed) return error;
	if (error instanceof ProviderAnswerError) {
		return new AnalysisFailed(
			'bad-answer',
			'The model’s answer could not be used, so nothing was saved. Try again, or use the local summary.'
		);
	}
	return new AnalysisFailed(
		'provider-failed',
		'The analysis service could not be reached or failed. Try again later.'
	);
}

/**
 * One analysis: `progress`, the text as `delta` events, then `result` with the whole text or
 * `error`, and always `done` last. Deltas travel at most once per `coalesceMs`, and not while
 * the previous one is still being sealed: every event is sealed with its own ECDH (≈ 0.7 ms of
 * CPU), and a model streams tokens far faster than a person reads them, so under load the
 * events grow rather than queue (bench: analysis_stream_lag_p99_ms). Never throws.
 */
export async function runAnalysis({
	input,
	provider,
	emit,
	signal,
	coalesceMs = 100
}: {
	input: AnalyseInput;
	provider: Provider;
	emit: (event: AnalysisEvent) => Promise<void>;
	signal: AbortSignal;
	coalesceMs?: number;
}): Promise<{ outcome: 'result' | AnalysisFailure['code']; characters: number }> {
	let text = '';
	let pending = '';
	let timer: NodeJS.Timeout | undefined;
	let sealing: Promise<void> | undefined;
	const flush = () => {
		clearTimeout(timer);
		timer = undefined;
		if (pending === '') return;
		sealing = emit({ event: 'delta', data: { text: pending } }).finally(() => {
			sealing = undefined;
		});
		pending = '';
	};
	const schedule = () => {
		timer ??= setTimeout(() => {
			if (!sealing) return flush();
			// Still sealing the last one: this delta waits for it and takes in what comes meanwhile.
			void sealing.then(() => {
				if (timer) flush();
			});
		}, coalesceMs);
	};
	let outcome: 'result' | AnalysisFailure['code'];
	try {
		emit({ event: 'progress', data: { stage: 'analysing', provider: provider.name } });
		signal.throwIfAborted();
		for await (const delta of provider.analyse(input, { signal })) {
			signal.throwIfAborted();
			text += delta;
			if (text.length > ANALYSIS_MAX_TEXT) {
				throw new AnalysisFailed(
					'bad-answer',
					'The model’s answer was too long to keep, so nothing was saved.'
				);
			}
			pending += delta;
			schedule();
		}
		signal.throwIfAborted();
		flush();
		if (text.trim() === '') {
			throw new AnalysisFailed('bad-answer', 'The model’s answer was empty, so nothing was saved.');
		}
		emit({ event: 'result', data: { text, provider: provider.name } });
		outcome = 'result';
	} catch (error) {
		clearTimeout(timer);
		pending = '';
		const failed = failure(error, signal);
		emit({ event: 'error', data: { code: failed.code, message: failed.message } });
		outcome = failed.code;
	}
	emit({ event: 'done', data: {} });
	return { outcome, characters: text.length };
}
