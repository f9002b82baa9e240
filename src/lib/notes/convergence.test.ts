import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateProfileKey } from '../crypto/index.ts';
import { openUserDb, type UserDb } from '../db/user-db.ts';
import type { Mutation, PushResult } from '../shared/sync.ts';
import { NoteUpdateReplayedError } from './errors.ts';
import type { NoteKeys } from './note-envelope.ts';
import { createNotePersistence, type NotePersistence } from './note-persistence.ts';
import { acknowledgeNotePushes, pendingNotePushes } from './note-pushes.ts';
import { applyRemoteNoteUpdate, type NoteChange } from './remote-note-changes.ts';
import { keyRing } from './test-fixture.ts';

// Three replicas of one note edit it concurrently, go offline and come back, compact and reload,
// and exchange sealed payloads through a server that orders them; each pull hands a replica its
// new changes shuffled, with some repeated and some held back for a later pull. At the end every
// replica holds the same text, as does a replica that loads its own store again, and a newcomer
// given only the last published snapshot plus the changes that snapshot does not cover.
// NOTE_CONVERGENCE_RUNS=1000 for a longer search.
const RUNS = Number(process.env.NOTE_CONVERGENCE_RUNS ?? 100);
const REPLICAS = 3;

type Op =
	| { t: 'insert'; r: number; at: number; text: string }
	| { t: 'delete'; r: number; at: number; length: number }
	| { t: 'sync'; r: number; deliver: number }
	| { t: 'toggle'; r: number }
	| { t: 'compact'; r: number; publish: boolean }
	| { t: 'reload'; r: number };

const replica = fc.nat({ max: REPLICAS - 1 });
const fraction = fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000);
const op: fc.Arbitrary<Op> = fc.oneof(
	{
		weight: 5,
		arbitrary: fc.record({
			t: fc.constant('insert' as const),
			r: replica,
			at: fraction,
			text: fc.string({ unit: fc.constantFrom(...'ab c\n#-é'), minLength: 1, maxLength: 4 })
		})
	},
	{
		weight: 2,
		arbitrary: fc.record({
			t: fc.constant('delete' as const),
			r: replica,
			at: fraction,
			length: fc.integer({ min: 1, max: 3 })
		})
	},
	{
		weight: 3,
		arbitrary: fc.record({ t: fc.constant('sync' as const), r: replica, deliver: fraction })
	},
	{ weight: 1, arbitrary: fc.record({ t: fc.constant('toggle' as const), r: replica }) },
	{
		weight: 1,
		arbitrary: fc.record({ t: fc.constant('compact' as const), r: replica, publish: fc.boolean() })
	},
	{ weight: 1, arbitrary: fc.record({ t: fc.constant('reload' as const), r: replica }) }
);

interface ServerChange extends NoteChange {
	seq: number;
	mutationId: string;
}

interface Replica {
	db: UserDb;
	doc: Y.Doc;
	persistence: NotePersistence;
	online: boolean;
	cursor: number;
	inbox: ServerChange[];
	// Server seqs whose content this replica's document holds (pulled, or its own pushes).
	holds: Set<number>;
}

function prng(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

async function runScenario(ops: Op[], seed: number, keys: NoteKeys, profileId: string) {
	const random = prng(seed);
	const docId = crypto.randomUUID();
	const server: ServerChange[] = [];
	let replays = 0;

	const open = async (db: UserDb) => {
		const doc = new Y.Doc();
		const persistence = createNotePersistence({
			db,
			doc,
			profileId,
			docId,
			keys,
			watch: false,
			compactAfter: 6,
			batch: { quietMs: 60_000, maxUpdates: 3 }
		});
		await persistence.whenSynced;
		return { doc, persistence };
	};

	const replicas: Replica[] = [];
	for (let i = 0; i < REPLICAS; i++) {
		const db = openUserDb(`conv-${docId.slice(0, 8)}-${i}`);
		replicas.push({
			db,
			...(await open(db)),
			online: true,
			cursor: 0,
			inbox: [],
			holds: new Set()
		});
	}

	function receive(mutations: Mutation[]): PushResult[] {
		return mutations.map((mutation) => {
			const stored = server.find((change) => change.mutationId === mutation.mutationId);
			if (stored) return { mutationId: mutation.mutationId, status: 'duplicate', seq: stored.seq };
			const seq = server.length + 1;
			server.push({ ...mutation, kind: mutation.kind as NoteChange['kind'], seq });
			return { mutationId: mutation.mutationId, status: 'applied', seq };
		});
	}

	async function deliver(r: Replica, change: ServerChange) {
		try {
			await applyRemoteNoteUpdate({ db: r.db, keys, change });
			r.holds.add(change.seq);
		} catch (error) {
			if (!(error instanceof NoteUpdateReplayedError)) throw error;
			replays++;
		}
	}

	async function push(r: Replica) {
		await r.persistence.flush();
		const mutations = await pendingNotePushes({ db: r.db, keys });
		const results = receive(mutations);
		await acknowledgeNotePushes({ db: r.db, results });
		for (const result of results) if (result.status !== 'rejected') r.holds.add(result.seq);
	}

	// New changes join the inbox shuffled, some twice, now and then an old one again; a share of
	// the inbox is delivered now, the rest on a later pull.
	async function pull(r: Replica, share: number) {
		for (const change of server.slice(r.cursor)) {
			r.inbox.push(change);
			if (random() < 0.2) r.inbox.push(change);
		}
		r.cursor = server.length;
		if (server.length > 0 && random() < 0.2) {
			r.inbox.push(server[Math.floor(random() * server.length)]!);
		}
		r.inbox.sort(() => random() - 0.5);
		for (const change of r.inbox.splice(0, Math.ceil(r.inbox.length * share))) {
			await deliver(r, change);
		}
		await r.persistence.refresh();
	}

	async function sync(r: Replica, share: number) {
		if (!r.online) return;
		await push(r);
		await pull(r, share);
	}

	try {
		for (const step of ops) {
			const r = replicas[step.r]!;
			const text = r.doc.getText('body');
			switch (step.t) {
				case 'insert':
					text.insert(Math.floor(step.at * (text.length + 1)), step.text);
					break;
				case 'delete': {
					const at = Math.floor(step.at * text.length);
					const length = Math.min(step.length, text.length - at);
					if (length > 0) text.delete(at, length);
					break;
				}
				case 'sync':
					await sync(r, step.deliver);
					break;
				case 'toggle':
					r.online = !r.online;
					break;
				case 'compact':
					await r.persistence.compact({ publish: step.publish });
					break;
				case 'reload':
					await r.persistence.destroy();
					Object.assign(r, await open(r.db));
					break;
			}
		}

		// Replica 0 publishes a snapshot of what it holds now, however far behind it is.
		const author = replicas[0]!;
		await author.persistence.compact({ publish: true });
		const covered = new Set(author.holds);
		await push(author);
		const snapshot = server.findLast((change) => change.kind === 'note-snapshot')!;

		// Everyone back online; two rounds deliver everything.
		for (const r of replicas) r.online = true;
		for (let round = 0; round < 2; round++) for (const r of replicas) await sync(r, 1);
		for (const r of replicas) await sync(r, 1);

		const texts = replicas.map((r) => r.doc.getText('body').toString());
		expect(new Set(texts).size).toBe(1);

		// Reloading each replica's encrypted store gives the same text.
		for (const r of replicas) {
			await r.persistence.destroy();
			Object.assign(r, await open(r.db));
			expect(r.doc.getText('body').toString()).toBe(texts[0]);
		}

		// A newcomer given that snapshot and only the changes it does not cover, in any order.
		const newcomer = openUserDb(`conv-${docId.slice(0, 8)}-new`);
		try {
			const later = server.filter((c) => c !== snapshot && !covered.has(c.seq));
			for (const change of [snapshot, ...later].sort(() => random() - 0.5)) {
				await applyRemoteNoteUpdate({ db: newcomer, keys, change });
			}
			const fresh = await open(newcomer);
			expect(fresh.doc.getText('body').toString()).toBe(texts[0]);
			await fresh.persistence.destroy();
		} finally {
			newcomer.close();
			await Dexie.delete(newcomer.name);
		}
		return { replays, changes: server.length };
	} finally {
		for (const r of replicas) {
			await r.persistence.destroy();
			r.db.close();
			await Dexie.delete(r.db.name);
		}
	}
}

describe('note convergence', () => {
	it(`converges: ${REPLICAS} replicas, random concurrent edits, offline periods, reordered and repeated payloads`, async () => {
		const profileId = crypto.randomUUID();
		const keys = keyRing({ [profileId]: [await generateProfileKey({ version: 1 })] });
		let replays = 0;
		let changes = 0;
		await fc.assert(
			fc.asyncProperty(
				fc.array(op, { minLength: 5, maxLength: 30 }),
				fc.integer(),
				async (ops, seed) => {
					const result = await runScenario(ops, seed, keys, profileId);
					replays += result.replays;
					changes += result.changes;
				}
			),
			{ numRuns: RUNS, seed: 20261103, endOnFailure: true }
		);
		// The runs did exercise the exchange and the replay refusal.
		expect(changes).toBeGreaterThan(RUNS);
		expect(replays).toBeGreaterThan(0);
	}, 120_000);
});
