import { randomUUID } from 'node:crypto';
import { sealJobEvent } from '../../../src/lib/crypto/job-event.ts';
import type { CryptoKey } from '../../../src/lib/crypto/webcrypto.ts';
import type { ImportEvent, ImportMediaType } from '../../../src/lib/shared/imports.ts';
import type { Provider } from '../ai/provider.ts';
import type { Logger } from '../logger.ts';
import { runImport } from './run-import.ts';

/** One event as kept and sent: its data is ciphertext for the job's key (job-event.ts). */
export interface SealedEvent {
	id: number;
	event: ImportEvent['event'];
	data: string;
}

export interface JobListener {
	onEvent(event: SealedEvent): void;
	/** After `done` (or if the job could not go on): no more events will come. */
	onEnd(): void;
}

export interface ImportJob {
	readonly id: string;
	readonly userId: string;
	/** Every sealed event so far, in order, ids from 1. */
	readonly events: readonly SealedEvent[];
	readonly finished: boolean;
	/** Streams following the job now. */
	readonly listening: number;
	/** Live events from now on; the returned function removes the listener. */
	subscribe(listener: JobListener): () => void;
}

export interface ImportJobs {
	start(input: {
		userId: string;
		publicKey: CryptoKey;
		bytes: Uint8Array;
		mediaType: ImportMediaType;
	}): ImportJob;
	/** The caller's job, or undefined for an unknown job and for someone else's alike. */
	find(jobId: string, userId: string): ImportJob | undefined;
	/** How many of the user's jobs are still working (each holds its file in memory). */
	running(userId: string): number;
	/** Forgets every job and timer (tests, shutdown); running jobs finish unseen. */
	close(): void;
}

/**
 * Import jobs in this process's memory. A job's plaintext (the file, its text) lives only while
 * it runs; what it produces is sealed at once and kept, as ciphertext, until `retainMs` after
 * `done`, so a client that reconnects (to this instance) can replay what it missed.
 */
export function createImportJobs({
	provider,
	logger,
	retainMs = 15 * 60_000
}: {
	provider: Provider;
	logger: Logger;
	retainMs?: number;
}): ImportJobs {
	const jobs = new Map<string, ImportJob>();
	const timers = new Set<NodeJS.Timeout>();

	function start({
		userId,
		publicKey,
		bytes,
		mediaType
	}: Parameters<ImportJobs['start']>[0]): ImportJob {
		const id = randomUUID();
		const events: SealedEvent[] = [];
		const listeners = new Set<JobListener>();
		let finished = false;
		const job: ImportJob = {
			id,
			userId,
			events,
			get finished() {
				return finished;
			},
			get listening() {
				return listeners.size;
			},
			subscribe(listener) {
				if (finished) {
					listener.onEnd();
					return () => {};
				}
				listeners.add(listener);
				return () => void listeners.delete(listener);
			}
		};
		jobs.set(id, job);

		const finish = () => {
			if (finished) return;
			finished = true;
			for (const listener of [...listeners]) listener.onEnd();
			listeners.clear();
			const timer = setTimeout(() => {
				timers.delete(timer);
				jobs.delete(id);
			}, retainMs);
			timer.unref();
			timers.add(timer);
		};

		// The job emits synchronously; sealing is async. One chain keeps the ids in order.
		let nextId = 1;
		let sealing = Promise.resolve();
		const emit = (event: ImportEvent) => {
			const eventId = nextId++;
			sealing = sealing.then(async () => {
				const data = await sealJobEvent({
					recipientPublicKey: publicKey,
					binding: { jobId: id, id: String(eventId), event: event.event },
					data: event.data
				});
				const sealed: SealedEvent = { id: eventId, event: event.event, data };
				events.push(sealed);
				for (const listener of [...listeners]) listener.onEvent(sealed);
			});
		};

		const started = performance.now();
		void runImport({ bytes, mediaType, provider, emit })
			.then(async ({ outcome }) => {
				await sealing;
				logger.info(
					{
						jobId: id,
						mediaType,
						size: bytes.length,
						outcome,
						ms: Math.round(performance.now() - started)
					},
					'import finished'
				);
			})
			.catch((error: unknown) => {
				// Only sealing can fail here (runImport never throws): the name, never a message.
				logger.error({ jobId: id, err: { name: (error as Error)?.name } }, 'import job failed');
			})
			.finally(() => {
				bytes.fill(0);
				finish();
			});
		return job;
	}

	return {
		start,
		find(jobId, userId) {
			const job = jobs.get(jobId);
			return job?.userId === userId ? job : undefined;
		},
		running(userId) {
			let count = 0;
			for (const job of jobs.values()) if (job.userId === userId && !job.finished) count++;
			return count;
		},
		close() {
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			jobs.clear();
		}
	};
}
