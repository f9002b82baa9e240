import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBody } from '../../src/lib/shared/api-error.ts';
import { Health } from '../../src/lib/shared/health.ts';
import { postgresAvailable, createScratchDatabase } from '../helpers/databases.ts';
import {
	spawnServer,
	startServer,
	tempDataDir,
	type ServerProcess
} from '../helpers/server-process.ts';

function stderrLines(output: { stderr: string }) {
	return output.stderr.split('\n').filter((line) => line.trim() !== '');
}

describe('the sync-server on PGlite', () => {
	let server: ServerProcess;
	const dataDir = tempDataDir();

	beforeAll(async () => {
		server = await startServer({ DATA_DIR: dataDir });
	});
	afterAll(async () => {
		await server?.stop();
	});

	it('reports health with its version and the embedded database', async () => {
		const response = await fetch(`${server.url}/v1/health`);
		expect(response.status).toBe(200);
		expect(response.headers.get('cache-control')).toBe('no-store');
		const body = Health.parse(await response.json());
		expect(body).toEqual({
			status: 'ok',
			version: expect.stringMatching(/^\d+\.\d+\.\d+/),
			database: { kind: 'pglite', ok: true }
		});
	});

	it('answers an unknown API path with 404 in the error envelope', async () => {
		for (const [method, path] of [
			['GET', '/v1/nothing-here'],
			['POST', '/v1/health'],
			['DELETE', '/v1']
		] as const) {
			const response = await fetch(`${server.url}${path}?secret=not-logged`, { method });
			expect(response.status).toBe(404);
			expect(response.headers.get('content-type')).toMatch(/^application\/json/);
			const body = ApiErrorBody.parse(await response.json());
			expect(body.error.code).toBe('not_found');
			expect(body.error.message).toContain(path);
			expect(body.error.message).not.toContain('secret');
		}
	});

	it('publishes its OpenAPI document', async () => {
		const response = await fetch(`${server.url}/v1/openapi.json`);
		const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
		expect(document.openapi).toBe('3.1.0');
		expect(Object.keys(document.paths)).toContain('/v1/health');
	});

	it('keeps query strings out of its logs', async () => {
		await fetch(`${server.url}/v1/health?name=Jane+Doe`);
		expect(server.output().stdout).not.toContain('Jane');
	});
});

describe('start-up failures', () => {
	it('stops on PORT=abc with one line naming PORT', async () => {
		const spawned = spawnServer({ PORT: 'abc' });
		expect(await spawned.exited).not.toBe(0);
		const lines = stderrLines(spawned.output());
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(/^charta: Invalid PORT \(got "abc"\): must be a whole number/);
	});

	it('names every bad variable, one line each', async () => {
		const spawned = spawnServer({ PORT: '70000', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
		expect(await spawned.exited).not.toBe(0);
		const lines = stderrLines(spawned.output());
		expect(lines).toHaveLength(3);
		expect(lines.join('\n')).toMatch(/Invalid PORT/);
		expect(lines.join('\n')).toMatch(/Invalid LOG_LEVEL/);
		expect(lines.join('\n')).toMatch(/Invalid DATABASE_URL: must be a postgres/);
	});

	it('fails within 10 s with one line naming host:port when DATABASE_URL is unreachable', async () => {
		const started = Date.now();
		const spawned = spawnServer({
			DATABASE_URL: 'postgres://charta:s3cret-pass@127.0.0.1:1/charta'
		});
		expect(await spawned.exited).not.toBe(0);
		expect(Date.now() - started).toBeLessThan(10_000);
		const lines = stderrLines(spawned.output());
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(/^charta: Cannot reach PostgreSQL at 127\.0\.0\.1:1\b/);
		expect(lines[0]).not.toContain('s3cret-pass');
	});
});

describe('graceful shutdown', () => {
	it('lets a request in flight at SIGTERM complete, then exits 0', async () => {
		const server = await startServer({ LOG_LEVEL: 'info' });
		const socket = connect(server.port, '127.0.0.1');
		await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
		let response = '';
		socket.on('data', (chunk) => (response += chunk.toString()));
		const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));

		// The request has begun (request line sent) when the signal arrives; it ends afterwards.
		socket.write('GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
		await expect.poll(() => server.child.exitCode === null).toBe(true);
		server.child.kill('SIGTERM');
		await server.waitForOutput('shutting down');
		socket.write('Accept: application/json\r\n\r\n');

		await closed;
		expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
		expect(response).toContain('"status":"ok"');
		expect(await server.exited).toBe(0);
		expect(server.output().stdout).toContain('"msg":"stopped"');
	});
});

describe.runIf(postgresAvailable)('the sync-server on PostgreSQL', () => {
	it('starts on DATABASE_URL, migrates, reports postgres health, and a second start migrates nothing', async () => {
		const database = await createScratchDatabase();
		try {
			const first = await startServer({ DATABASE_URL: database.url, LOG_LEVEL: 'info' });
			const body = Health.parse(await (await fetch(`${first.url}/v1/health`)).json());
			expect(body.database).toEqual({ kind: 'postgres', ok: true });
			expect(first.output().stdout).toContain('migrations applied');
			expect(await first.stop()).toBe(0);

			const second = await startServer({ DATABASE_URL: database.url, LOG_LEVEL: 'info' });
			expect(second.output().stdout).not.toContain('migrations applied');
			expect(await second.stop()).toBe(0);
		} finally {
			await database.drop();
		}
	});
});
