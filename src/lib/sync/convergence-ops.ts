import fc from 'fast-check';

// What clients do in the convergence tests (issue 4): create records, edit the same and different
// fields, clear a field, delete and restore, keep one value of a conflict, sync, go offline
// and come back. `record` picks among the records the client holds at that moment.

export const CLIENTS = 5;
export const OPS_PER_CLIENT = 200;

// Observation fields and the values an edit chooses from; undefined clears the field.
export const EDITS = {
	note: ['Fasting', 'After breakfast', undefined],
	performer: ['Ward 4 lab', 'Central lab', undefined],
	interpretation: ['N', 'H', 'L', undefined],
	status: ['preliminary', 'final', 'amended']
} as const;
export type EditField = keyof typeof EDITS;

export type Op =
	| { type: 'tick'; client: number; ms: number }
	| { type: 'edit'; client: number; record: number; field: EditField; value: number }
	| { type: 'create'; client: number }
	| { type: 'delete'; client: number; record: number; deleted: boolean }
	| { type: 'resolve'; client: number; record: number; choice: number }
	| { type: 'sync'; client: number }
	| { type: 'offline'; client: number }
	| { type: 'online'; client: number };

const client = fc.nat(CLIENTS - 1);
const record = fc.nat(1_000);

// Weights per 100 operations. 'tick' comes first: shrinking turns operations that do not matter
// into it.
export const OpArbitrary: fc.Arbitrary<Op> = fc.oneof(
	{ withCrossShrink: true },
	{ weight: 5, arbitrary: fc.record({ type: fc.constant('tick'), client, ms: fc.nat(2_000) }) },
	{
		weight: 50,
		arbitrary: fc.record({
			type: fc.constant('edit'),
			client,
			record,
			field: fc.constantFrom(...(Object.keys(EDITS) as EditField[])),
			value: fc.nat(3)
		})
	},
	{ weight: 1, arbitrary: fc.record({ type: fc.constant('create'), client }) },
	{
		weight: 4,
		arbitrary: fc.record({ type: fc.constant('delete'), client, record, deleted: fc.boolean() })
	},
	{
		weight: 5,
		arbitrary: fc.record({ type: fc.constant('resolve'), client, record, choice: fc.nat(3) })
	},
	{ weight: 28, arbitrary: fc.record({ type: fc.constant('sync'), client }) },
	{ weight: 3, arbitrary: fc.record({ type: fc.constant('offline'), client }) },
	{ weight: 4, arbitrary: fc.record({ type: fc.constant('online'), client }) }
);

export interface Scenario {
	ops: Op[];
	// Each client's wall clock offset (ms): devices disagree about the time.
	skews: number[];
	networkSeed: number;
}

export function scenarioArbitrary(opCount = CLIENTS * OPS_PER_CLIENT): fc.Arbitrary<Scenario> {
	return fc.record({
		ops: fc.array(OpArbitrary, { minLength: opCount, maxLength: opCount }),
		skews: fc.array(fc.integer({ min: -5_000, max: 5_000 }), {
			minLength: CLIENTS,
			maxLength: CLIENTS
		}),
		networkSeed: fc.integer()
	});
}

// One line per operation for a failure report, leaving out the empty ticks shrinking made.
export function describeOps(ops: readonly Op[]): string {
	return ops
		.map((op, i) => {
			if (op.type === 'tick' && op.ms === 0) return '';
			const { type, client, ...rest } = op;
			const args = Object.entries(rest).map(([key, value]) => `${key}=${String(value)}`);
			return `#${i} c${client} ${type} ${args.join(' ')}`.trimEnd();
		})
		.filter(Boolean)
		.join('\n');
}
