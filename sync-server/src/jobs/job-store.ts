import { randomUUID } from 'node:crypto';
import { sealJobEvent } from '../../../src/lib/crypto/job-event.ts';
import type { CryptoKey } from '../../../src/lib/crypto/webcrypto.ts';
import type { Logger } from '../logger.ts';

/** One event as kept and sent: its data is ciphertext for the job's key (job-event.ts). */
export interface SealedEvent {
	id: number;
	event: string;
	data: string;
}

/** An event as a job emits it, before sealing. */
export interface JobEvent {
	event: string;
	data: unknown;
}

export interface JobListener {
	onEvent(event: SealedEvent): void;
	/** After `done` (or if the job could not go on): no more events will come. */
	onEnd(): void;
}

export type JobKind = 'import' | 'analysis';

export interface Job {
	readonly id: string;
	readonly kind: JobKind;
	readonly userId: string;
	/** Every sealed event so far, in order, ids from 1. */
	readonly events: readonly SealedEvent[];
	readonly finished: boolean;
	/** Streams following the job now. */
	readonly listening: number;
	/** Live events from now on; the returned function removes the listener. */
	subscribe(listener: JobListener): () => void;
	/** Aborts the work's signal; the job still ends with its own events (error, done). */
	cancel(): void;
}

/**
 * What a job's work gets: `emit` seals and publishes in order (the promise settles, never
 * rejecting, once this event is out: work may pace itself by it); `signal` aborts on cancel.
 */
export interface JobContext<E extends JobEvent> {
	jobId: string;
	emit(event: E): Promise<void>;
	signal: AbortSignal;
}

export interface StartJob<E extends JobEvent> {
	kind: JobKind;
	userId: string;
	publicKey: CryptoKey;
	work: (context: JobContext<E>) => Promise<void>;
}

export interface JobStore {
	/**
	 * Starts `work` at once. It must not throw and must emit `done` last; whatever it holds in
	 * plaintext it releases when it returns.
	 */
	start<E extends JobEvent>(input: StartJob<E>): Job;
	/** The caller's job of this kind, or undefined for an unknown job and for someone else's alike. */
	find(kind: JobKind, jobId: string, userId: string): Job | undefined;
	/** How many of the user's jobs of this kind are still working. */
	running(kind: JobKind, userId: string): number;
	/** Cancels every running job and ends every stream (shutdown); keeps nothing. */
	close(): void;
}

/**
 * Jobs in this process's memory, imports and analyses alike. A job's plaintext lives only in its
 * work while it runs; what it emits is sealed at once to the job's public key and kept, as
 * ciphertext, until `retainMs` after it ends, so a client that reconnects (to this instance)
 * can replay what it missed.
 */
export function createJobStore({
	retainMs = 15 * 60_000,
	sealConcurrency = 4,
	onError
}: {
	retainMs?: number;
	/**
	 * Seals in progress at once, across all jobs. Each costs ≈ 0.7 ms of CPU in several steps; a
	 * hundred started in one tick (streams' timers firing together) held the event loop for tens
	 * of ms. Waiting jobs meanwhile join more text into their next delta (analysis-run.ts).
	 */
	sealConcurrency?: number;
	/** A job's work threw, or sealing failed: the error's name only, never its message. */
	onError?: (job: Job, error: unknown) => void;
} = {}): JobStore {
	const jobs = new Map<string, Job & { end(): void }>();
	const sealSlots = createLimiter(sealConcurrency);
	const timers = new Set<NodeJS.Timeout>();

	function start<E extends JobEvent>({ kind, userId, publicKey, work }: StartJob<E>): Job {
		const id = randomUUID();
		const events: SealedEvent[] = [];
		const listeners = new Set<JobListener>();
		const controller = new AbortController();
		let finished = false;

		const end = () => {
			if (finished) return;
			finished = true;
			for (const listener of [...listeners]) listener.onEnd();
			listeners.clear();
		};
		const job = {
			id,
			kind,
			userId,
			events,
			get finished() {
				return finished;
			},
			get listening() {
				return listeners.size;
			},
			subscribe(listener: JobListener) {
				if (finished) {
					listener.onEnd();
					return () => {};
				}
				listeners.add(listener);
				return () => void listeners.delete(listener);
			},
			cancel() {
				if (!finished) controller.abort(new DOMException('The job was cancelled.', 'AbortError'));
			},
			end
		};
		jobs.set(id, job);

		// The work emits synchronously; sealing is async. One chain keeps the ids in order.
		let nextId = 1;
		let sealing = Promise.resolve();
		const emit = (event: E) => {
			const eventId = nextId++;
			sealing = sealing.then(async () => {
				const data = await sealSlots.run(() =>
					sealJobEvent({
						recipientPublicKey: publicKey,
						binding: { jobId: id, id: String(eventId), event: event.event },
						data: event.data
					})
				);
				const sealed: SealedEvent = { id: eventId, event: event.event, data };
				events.push(sealed);
				for (const listener of [...listeners]) listener.onEvent(sealed);
			});
			// A failed seal is reported once, through the chain the work's end awaits.
			return sealing.catch(() => {});
		};

		void work({ jobId: id, emit, signal: controller.signal })
			.then(() => sealing)
			.catch((error: unknown) => onError?.(job, error))
			.finally(() => {
				end();
				if (!jobs.has(id)) return; // closed meanwhile
				const timer = setTimeout(() => {
					timers.delete(timer);
					jobs.delete(id);
				}, retainMs);
				timer.unref();
				timers.add(timer);
			});
		return job;
	}

	return {
		start,
		find(kind, jobId, userId) {
			const job = jobs.get(jobId);
			return job?.kind === kind && job.userId === userId ? job : undefined;
		},
		running(kind, userId) {
			let count = 0;
			for (const job of jobs.values()) {
				if (job.kind === kind && job.userId === userId && !job.finished) count++;
			}
			return count;
		},
		close() {
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			for (const job of jobs.values()) {
				job.cancel();
				job.end();
			}
			jobs.clear();
		}
	};
}

/** Logs a job that failed outside its own error handling: the error's name, never a message. */
export const logJobError = (logger: Logger) => (job: Job, error: unknown) =>
	logger.error(
		{ jobId: job.id, kind: job.kind, err: { name: (error as Error)?.name } },
		'job failed'
	);

/** At most `slots` of the given tasks run at once; the rest wait in order. */
function createLimiter(slots: number) {
	let running = 0;
	const waiting: (() => void)[] = [];
	return {
		async run<T>(task: () => Promise<T>): Promise<T> {
			if (running >= slots) await new Promise<void>((resolve) => waiting.push(resolve));
			else running++;
			try {
				return await task();
			} finally {
				const next = waiting.shift();
				if (next) next();
				else running--;
			}
		}
	};
}
