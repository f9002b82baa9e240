import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { PushResponse, type Mutation } from '../../src/lib/shared/sync.ts';
import { createClientAccount, derivePasswordKeys, signupBody } from '../helpers/auth-client.ts';
import { createScratchDatabase, postgresAvailable } from '../helpers/databases.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';
import { fakeWrappedKey, newMutation } from '../helpers/sync-fixtures.ts';

const TOTAL = 5_000;
const BATCH = 500;

/** A device that talks to whichever server process is up, keeping its session cookie. */
function device() {
	let cookie = '';
	return {
		async request(server: ServerProcess, method: string, path: string, json: unknown) {
			const response = await fetch(`${server.url}${path}`, {
				method,
				headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
				body: JSON.stringify(json)
			});
			const set = response.headers.getSetCookie()[0];
			if (set) cookie = set.split(';', 1)[0]!;
			return { status: response.status, body: (await response.json()) as unknown };
		}
	};
}

describe.runIf(postgresAvailable)('a push interrupted by kill -9', () => {
	it('holds each mutation exactly once, with gap-free seqs, after a restart and the client’s retries', async () => {
		const database = await createScratchDatabase();
		const env = { DATABASE_URL: database.url, LOG_LEVEL: 'silent' };
		let server = await startServer(env);
		const sql = postgres(database.url, { max: 1, onnotice: () => {} });
		try {
			const keys = await createClientAccount(await derivePasswordKeys('crash test'));
			const client = device();
			const signedUp = await client.request(
				server,
				'POST',
				'/v1/auth/signup',
				signupBody(keys, `crash-${randomUUID().slice(0, 8)}@example.org`)
			);
			expect(signedUp.status).toBe(201);
			const profileId = randomUUID();
			const created = await client.request(server, 'POST', '/v1/profiles', {
				profileId,
				wrappedProfileKey: fakeWrappedKey(),
				keyVersion: 1
			});
			expect(created.status).toBe(201);

			const batches: Mutation[][] = Array.from({ length: TOTAL / BATCH }, () =>
				Array.from({ length: BATCH }, () => newMutation(profileId))
			);
			const answered = new Map<number, PushResponse>();
			const pushBatch = async (index: number) => {
				const response = await client.request(server, 'POST', '/v1/sync/push', {
					clientId: 'crash-test',
					mutations: batches[index]
				});
				expect(response.status).toBe(200);
				answered.set(index, PushResponse.parse(response.body));
			};

			// Two batches in flight at a time; after three answers, SIGKILL with the next ones mid-way.
			const killed = server;
			let next = 0;
			const lanes = [0, 1].map(async () => {
				while (next < batches.length && killed.child.exitCode === null) {
					const index = next++;
					if (answered.size >= 3 && killed.child.signalCode === null) killed.child.kill('SIGKILL');
					await pushBatch(index).catch(() => {}); // no answer: the connection died
				}
			});
			await Promise.all(lanes);
			await killed.exited;
			expect(killed.child.signalCode).toBe('SIGKILL');
			const answeredBeforeKill = answered.size;
			const unanswered = batches.map((_, i) => i).filter((i) => !answered.has(i));
			expect(unanswered.length).toBeGreaterThan(0);
			const [{ stored: storedAtCrash } = { stored: -1 }] = await sql<{ stored: number }[]>`
				select count(*)::int as stored from charta.changes`;
			// Whole batches or nothing: a transaction killed mid-way leaves no trace.
			expect(storedAtCrash % BATCH).toBe(0);

			server = await startServer(env);
			for (const index of unanswered) await pushBatch(index);

			const statuses = [...answered.values()].flatMap(({ results }) =>
				results.map((r) => r.status)
			);
			expect(statuses).toHaveLength(TOTAL);
			expect(statuses.filter((s) => s === 'rejected')).toEqual([]);
			// Batches that had committed before the kill come back as duplicates on retry.
			expect(statuses.filter((s) => s === 'duplicate').length).toBe(
				storedAtCrash - answeredBeforeKill * BATCH
			);

			const [summary] = await sql<
				{ rows: number; ids: number; min: number; max: number; last: number }[]
			>`
				select count(*)::int as rows, count(distinct mutation_id)::int as ids,
				       min(seq)::int as min, max(seq)::int as max,
				       (select last_seq::int from charta.profiles where id = ${profileId}) as last
				from charta.changes where profile_id = ${profileId}`;
			expect(summary).toEqual({ rows: TOTAL, ids: TOTAL, min: 1, max: TOTAL, last: TOTAL });
			const expectedIds = new Set(batches.flat().map((m) => m.mutationId));
			const storedIds = await sql<
				{ mutation_id: string }[]
			>`select mutation_id from charta.changes`;
			expect(storedIds.every((row) => expectedIds.has(row.mutation_id))).toBe(true);
		} finally {
			await server.stop();
			await sql.end();
			await database.drop();
		}
	});
});
