import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

export interface ServerProcess {
	url: string;
	port: number;
	child: ChildProcess;
	/** Everything the process wrote so far. */
	output(): { stdout: string; stderr: string };
	/** Resolves once the given text has appeared on stdout. */
	waitForOutput(text: string, timeoutMs?: number): Promise<void>;
	/** SIGTERM and wait for the exit; resolves with the exit code. */
	stop(): Promise<number | null>;
	exited: Promise<number | null>;
}

export function tempDataDir(prefix = 'charta-test-'): string {
	return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs the sync-server as `npm start` does (without the build check) and waits for its URL. */
export function spawnServer(env: Record<string, string> = {}): {
	child: ChildProcess;
	exited: Promise<number | null>;
	output(): { stdout: string; stderr: string };
	waitForOutput(text: string, timeoutMs?: number): Promise<void>;
} {
	const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/src/main.ts'], {
		cwd: root,
		env: {
			PATH: process.env.PATH ?? '',
			HOME: process.env.HOME ?? '',
			PORT: '0',
			LOG_LEVEL: 'warn',
			DATA_DIR: tempDataDir(),
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let stdout = '';
	let stderr = '';
	const waiters = new Set<() => void>();
	child.stdout!.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
		for (const check of waiters) check();
	});
	child.stderr!.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const exited = new Promise<number | null>((resolve) => {
		child.on('exit', (code) => {
			for (const check of waiters) check();
			resolve(code);
		});
	});
	const waitForOutput = (text: string, timeoutMs = 30_000) =>
		new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => {
				waiters.delete(check);
				reject(
					new Error(`Server did not print "${text}" in ${timeoutMs} ms.\n${stdout}\n${stderr}`)
				);
			}, timeoutMs);
			const check = () => {
				if (stdout.includes(text)) {
					clearTimeout(timer);
					waiters.delete(check);
					resolve();
				} else if (child.exitCode !== null) {
					clearTimeout(timer);
					waiters.delete(check);
					reject(new Error(`Server exited (${child.exitCode}) before "${text}".\n${stderr}`));
				}
			};
			waiters.add(check);
			check();
		});
	return { child, exited, output: () => ({ stdout, stderr }), waitForOutput };
}

export async function startServer(env: Record<string, string> = {}): Promise<ServerProcess> {
	const spawned = spawnServer(env);
	await spawned.waitForOutput('Charta is running.', 60_000);
	const match = /Open (http:\/\/[^\s]+)/.exec(spawned.output().stdout);
	if (!match?.[1]) throw new Error(`No URL in the server's output: ${spawned.output().stdout}`);
	const url = match[1];
	return {
		...spawned,
		url,
		port: Number(new URL(url).port),
		async stop() {
			if (spawned.child.exitCode === null) spawned.child.kill('SIGTERM');
			return spawned.exited;
		}
	};
}
