import { describe, expect, it } from 'vitest';
import type { StoredRecord } from '../shared/records/index.ts';
import { checkConvergence, CONVERGENCE_SEED, neverExercised } from './convergence-check.ts';
import { openModelReplica } from './convergence-model.ts';
import { runScenario } from './convergence-run.ts';
import { MessageLost } from './simulated-network.ts';

// Convergence (issue 4, "Must show"), at full scale: CONVERGENCE_RUNS runs (200 by default, in
// CI; 1,000 in `npm run test:long`) of 5 clients × 200 random operations — create, edit the same
// and different fields, clear, delete and restore, keep one side of a conflict, sync, go offline
// and come back — over a network that loses requests, loses answers, duplicates and delays
// (reorders) 10 % of messages each. After it heals and everyone syncs, every replica holds the
// same stored records (fields, stamps, conflicts, deletion), equal to the merge of the server's
// log; every acknowledged push was stored; no write is lost (convergence-history.ts).
//
// The replicas here are the protocol model (convergence-model.ts): the real merge, stamping and
// HLC code with storage, envelopes and HTTP replaced, since the real stack costs ≈ 3 s a run.
// convergence-devices.test.ts runs the same scenarios on real vaults and sync clients, fewer.

const RUNS = Number(process.env.CONVERGENCE_RUNS ?? 200);
// ≈ 0.2 s of CPU a run here; room for a busy machine and for shrinking a failure.
const MS_PER_RUN = 3_000;

describe('convergence over the protocol model', () => {
	it(
		`converges and keeps every write: ${RUNS} runs of 5 clients × 200 operations`,
		async ({ onTestFailed }) => {
			onTestFailed(() => console.error(`convergence seed ${CONVERGENCE_SEED} (CONVERGENCE_SEED)`));
			const totals = await checkConvergence({
				name: 'convergence over the protocol model',
				file: 'src/lib/sync/convergence.test.ts',
				numRuns: RUNS,
				timeLimitMs: RUNS * MS_PER_RUN,
				run: (scenario) =>
					runScenario({
						scenario,
						openReplica: openModelReplica,
						isNetworkFailure: (error) => error instanceof MessageLost,
						decodeChange: async ({ ciphertext }) => JSON.parse(ciphertext) as StoredRecord
					})
			});
			expect(neverExercised(totals)).toEqual([]);
		},
		RUNS * MS_PER_RUN + 60_000
	);
});
