// Starts Charta the way `npm start` does, on a fresh data folder, for benchmarks.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;

export function freshDataDir() {
	return mkdtempSync(join(tmpdir(), 'charta-bench-'));
}

/** Spawns `npm start` and resolves with its URL once /v1/health answers 200. */
export async function startCharta({ dataDir = freshDataDir(), command = ['npm', 'start'] } = {}) {
	const started = performance.now();
	const child = spawn(command[0], command.slice(1), {
		cwd: root,
		env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true
	});
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const deadline = Date.now() + 60_000;
	let url;
	while (!url) {
		if (Date.now() > deadline || child.exitCode !== null) {
			throw new Error(`Charta did not start:\n${output}`);
		}
		url = /Open (http:\/\/\S+)/.exec(output)?.[1];
		if (!url) await new Promise((resolve) => setTimeout(resolve, 5));
	}
	for (;;) {
		const ok = await fetch(`${url}/v1/health`).then(
			(response) => response.ok,
			() => false
		);
		if (ok) break;
		if (Date.now() > deadline) throw new Error(`Charta never became healthy:\n${output}`);
	}
	const healthyAfterMs = performance.now() - started;
	return {
		url,
		healthyAfterMs,
		async stop() {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			// npm start runs node under a shell: signal the whole process group.
			process.kill(-child.pid, 'SIGTERM');
			await exited;
		}
	};
}
