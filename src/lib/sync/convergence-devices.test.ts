import { describe, expect, it } from 'vitest';
import { generateUserKeyPair } from '../crypto/index.ts';
import { checkConvergence, CONVERGENCE_SEED, neverExercised } from './convergence-check.ts';
import { changeDecoder, deviceOpener, isNetworkFailure } from './convergence-device.ts';
import { runScenario } from './convergence-run.ts';

// The convergence scenarios of convergence.test.ts (5 clients × 200 operations over the faulty
// network, same checks) on real devices: vault, WebCrypto envelopes, IndexedDB (fake-indexeddb)
// and the sync client with its push, pull and apply, against the server stand-in over fetch.
// ≈ 3 s a run, so a tenth as many runs: 20 in CI, 100 in `npm run test:long`
// (CONVERGENCE_DEVICE_RUNS overrides).

const RUNS = Number(
	process.env.CONVERGENCE_DEVICE_RUNS ?? Math.ceil(Number(process.env.CONVERGENCE_RUNS ?? 200) / 10)
);
const MS_PER_RUN = 15_000;

describe('convergence on real devices', () => {
	it(
		`vault, crypto, IndexedDB and sync client converge: ${RUNS} runs of 5 clients × 200 operations`,
		async ({ onTestFailed }) => {
			onTestFailed(() => console.error(`convergence seed ${CONVERGENCE_SEED} (CONVERGENCE_SEED)`));
			// One key pair for every run: making one per run would only test key generation.
			const keyPair = await generateUserKeyPair();
			const totals = await checkConvergence({
				name: 'convergence on real devices',
				file: 'src/lib/sync/convergence-devices.test.ts',
				numRuns: RUNS,
				timeLimitMs: RUNS * MS_PER_RUN,
				run: (scenario) => {
					const run = { keyPair };
					return runScenario({
						scenario,
						openReplica: deviceOpener(run),
						isNetworkFailure,
						decodeChange: changeDecoder(run)
					});
				}
			});
			expect(neverExercised(totals)).toEqual([]);
		},
		RUNS * MS_PER_RUN + 60_000
	);
});
