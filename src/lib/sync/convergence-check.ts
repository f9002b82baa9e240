import fc from 'fast-check';
import { describeOps, scenarioArbitrary, type Scenario } from './convergence-ops.ts';
import type { RunStats } from './convergence-run.ts';

// Runs the convergence property of issue 4 with fast-check and reports a failure with its seed,
// the command that replays it and the (shrunk) operations. CONVERGENCE_SEED fixes the seed,
// CONVERGENCE_PATH (with it) replays one shrunk case; without them every CI run tries new
// scenarios.

export const CONVERGENCE_SEED = process.env.CONVERGENCE_SEED
	? Number(process.env.CONVERGENCE_SEED)
	: (Date.now() ^ (Math.random() * 0x100000000)) | 0;
const PATH = process.env.CONVERGENCE_PATH || undefined;

export type Totals = Omit<RunStats, 'faults'> & { faults: Record<string, number>; runs: number };

export async function checkConvergence({
	name,
	file,
	numRuns,
	timeLimitMs,
	run
}: {
	name: string;
	file: string;
	numRuns: number;
	// Past it, a shrink in progress stops and reports what it has (the seed replays the rest).
	timeLimitMs: number;
	run: (scenario: Scenario) => Promise<RunStats>;
}): Promise<Totals> {
	const totals: Totals = {
		runs: 0,
		writes: 0,
		offlineWrites: 0,
		conflicts: 0,
		deletedRecords: 0,
		records: 0,
		faults: {}
	};
	const property = fc.asyncProperty(scenarioArbitrary(), async (scenario) => {
		const stats = await run(scenario);
		totals.runs++;
		for (const key of [
			'writes',
			'offlineWrites',
			'conflicts',
			'deletedRecords',
			'records'
		] as const) {
			totals[key] += stats[key];
		}
		for (const [fault, count] of Object.entries(stats.faults)) {
			totals.faults[fault] = (totals.faults[fault] ?? 0) + count;
		}
	});
	const details = await fc.check<[Scenario]>(property, {
		seed: CONVERGENCE_SEED,
		path: PATH,
		numRuns,
		// fast-check 4.10 types its plugins Plugin<unknown>, which Parameters<Ts> does not accept.
		plugins: [
			fc.interruptAfterTimeLimit(timeLimitMs, { failOnInterrupt: true }) as fc.Plugin<[Scenario]>
		]
	});
	if (!details.failed) return totals;

	const [scenario] = details.counterexample ?? [];
	const error = details.errorInstance;
	throw new Error(
		[
			`${name}: failed after ${details.numRuns} runs${details.interrupted ? ' (time limit reached)' : ''}, ` +
				`seed ${details.seed}, path "${details.counterexamplePath}", shrunk ${details.numShrinks} times.`,
			`Replay: CONVERGENCE_SEED=${details.seed} CONVERGENCE_PATH=${details.counterexamplePath} ` +
				`npx vitest run ${file}`,
			error instanceof Error ? (error.stack ?? error.message) : String(error),
			scenario
				? `Clock skews ${scenario.skews.join(' ')} ms, network seed ${scenario.networkSeed}, operations:\n` +
					describeOps(scenario.ops)
				: ''
		].join('\n')
	);
}

// A property that never met trouble proves little: over many runs, every kind of network fault,
// offline writes, conflicts and deleted records must have come up. Returns what never did.
export function neverExercised(totals: Totals): string[] {
	if (totals.runs < 10) return [];
	const seen = {
		...totals.faults,
		offlineWrites: totals.offlineWrites,
		conflicts: totals.conflicts,
		deletedRecords: totals.deletedRecords
	};
	return [
		'dropRequest',
		'dropAnswer',
		'duplicate',
		'delay',
		'late',
		'offlineWrites',
		'conflicts',
		'deletedRecords'
	].filter((kind) => !(seen[kind as keyof typeof seen]! > 0));
}
