// The network of the convergence tests (issue 4: "a simulated network that drops, duplicates and
// reorders 10 % of messages each"). Every exchange is one request and its answer; independently
// of the others, the request is lost, or held back and delivered later, after messages sent
// after it (the sender has timed out by then), or delivered twice (the copy later), or delivered
// with its answer lost. Seeded, so a run replays exactly from its seed.

export interface NetworkFaults {
	dropRequest: number;
	delay: number;
	duplicate: number;
	dropAnswer: number;
}

export const TEN_PERCENT_EACH: NetworkFaults = {
	dropRequest: 0.1,
	delay: 0.1,
	duplicate: 0.1,
	dropAnswer: 0.1
};

export type NetworkEvent = keyof NetworkFaults | 'delivered' | 'late';

// What the sender sees when a request or its answer did not arrive: fetch rejects with a
// TypeError on a network failure, and so does this.
export class MessageLost extends TypeError {
	constructor(what: string) {
		super(`simulated network: ${what}`);
		this.name = 'MessageLost';
	}
}

// Mulberry32 (Tommy Ettinger, public domain): 32 bits of state, plenty for choosing faults.
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
	};
}

export function createSimulatedNetwork({
	seed,
	faults = TEN_PERCENT_EACH,
	// Chance that a held message arrives before each later exchange.
	release = 0.3
}: {
	seed: number;
	faults?: NetworkFaults;
	release?: number;
}) {
	const random = seededRandom(seed);
	const held: (() => void)[] = [];
	const counts: Record<NetworkEvent, number> = {
		dropRequest: 0,
		delay: 0,
		duplicate: 0,
		dropAnswer: 0,
		delivered: 0,
		late: 0
	};
	let faulty = true;

	function deliverLate(): void {
		for (let i = 0; i < held.length;) {
			if (random() < release) {
				counts.late++;
				held.splice(i, 1)[0]!();
			} else i++;
		}
	}

	return {
		counts,

		// One exchange: `deliver` runs at the server and returns its answer, which the sender gets
		// back unless the network lost it (then MessageLost is thrown, as fetch throws).
		send<T>(deliver: () => T): T {
			if (!faulty) {
				counts.delivered++;
				return deliver();
			}
			deliverLate();
			const roll = random();
			let below = faults.dropRequest;
			if (roll < below) {
				counts.dropRequest++;
				throw new MessageLost('request lost');
			}
			if (roll < (below += faults.delay)) {
				counts.delay++;
				held.push(() => void deliver());
				throw new MessageLost('no answer in time (the request arrives later)');
			}
			if (roll < (below += faults.duplicate)) {
				counts.duplicate++;
				held.push(() => void deliver());
				return deliver();
			}
			if (roll < below + faults.dropAnswer) {
				counts.dropAnswer++;
				deliver();
				throw new MessageLost('answer lost');
			}
			counts.delivered++;
			return deliver();
		},

		// The network heals: every held message arrives, and from now on nothing is lost.
		heal(): void {
			faulty = false;
			for (const deliver of held.splice(0)) {
				counts.late++;
				deliver();
			}
		},

		// Faults on again (a run's set-up happens on a healed network).
		breakAgain(): void {
			faulty = true;
		}
	};
}

export type SimulatedNetwork = ReturnType<typeof createSimulatedNetwork>;
