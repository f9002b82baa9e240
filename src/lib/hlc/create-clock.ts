import {
	decodeHlc,
	encodeHlc,
	isValidNodeId,
	HlcFormatError,
	MAX_HLC_COUNTER,
	NODE_RULE
} from './hlc.ts';

export interface Clock {
	readonly nodeId: string;
	// A stamp for a local event, later than every stamp this clock has issued or received.
	tick(): string;
	// Folds in a stamp seen elsewhere and returns a stamp for this event, later than both.
	receive(remote: string): string;
}

// A remote stamp too far ahead of our wall clock, refused when the caller sets maxDriftMs.
export class ClockDriftError extends Error {
	readonly driftMs: number;

	constructor(driftMs: number) {
		super(`Remote clock is ${driftMs} ms ahead of this device`);
		this.name = 'ClockDriftError';
		this.driftMs = driftMs;
	}
}

export function createClock({
	nodeId,
	now = Date.now,
	last,
	maxDriftMs
}: {
	nodeId: string;
	now?: () => number;
	// A stamp this node issued before (e.g. persisted across a restart), so a wall clock that has
	// since been set back cannot make the node issue stamps older than its earlier ones.
	last?: string;
	// Off by default: refusing a peer's stamp would stall sync, and a far-future stamp only
	// makes later local stamps borrow its milliseconds. Set it where refusing is the better harm.
	maxDriftMs?: number;
}): Clock {
	if (!isValidNodeId(nodeId)) {
		throw new HlcFormatError(NODE_RULE);
	}
	let ms = 0;
	let counter = 0;
	if (last !== undefined) {
		({ ms, counter } = decodeHlc(last));
	}

	const wallMs = () => Math.max(0, Math.floor(now()));

	// Keeps stamps strictly increasing even after 65,536 events in one millisecond: logical time
	// runs one millisecond ahead of the wall clock until the wall clock catches up.
	const advance = (nextMs: number, nextCounter: number) => {
		if (nextCounter > MAX_HLC_COUNTER) {
			ms = nextMs + 1;
			counter = 0;
		} else {
			ms = nextMs;
			counter = nextCounter;
		}
		return encodeHlc({ ms, counter, node: nodeId });
	};

	return {
		nodeId,
		tick() {
			const wall = wallMs();
			return wall > ms ? advance(wall, 0) : advance(ms, counter + 1);
		},
		receive(remote) {
			const theirs = decodeHlc(remote);
			const wall = wallMs();
			if (maxDriftMs !== undefined && theirs.ms - wall > maxDriftMs) {
				throw new ClockDriftError(theirs.ms - wall);
			}
			const next = Math.max(wall, ms, theirs.ms);
			if (next === ms && next === theirs.ms) {
				return advance(next, Math.max(counter, theirs.counter) + 1);
			}
			if (next === ms) return advance(next, counter + 1);
			if (next === theirs.ms) return advance(next, theirs.counter + 1);
			return advance(next, 0);
		}
	};
}
