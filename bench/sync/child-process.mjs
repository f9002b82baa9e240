// A server process of the bench: spawned with `args`, ready once it prints "Open http://…".
// memory() asks it (over IPC) for process.memoryUsage() after a full GC; stop() sends SIGTERM,
// as a deployment does, and kills it if it has not exited 15 s later.
import { spawn } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname;

export async function startChild({ args, env = {} }) {
	const child = spawn(process.execPath, args, {
		cwd: root,
		env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
		stdio: ['ignore', 'pipe', 'pipe', 'ipc']
	});
	// A server's request log goes to stdout as in production; only the first lines are kept.
	let output = '';
	const keep = (chunk) => {
		if (output.length < 64_000) output += chunk;
	};
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	const exited = new Promise((resolve) => child.once('exit', resolve));

	const deadline = Date.now() + 60_000;
	let url;
	while (!url) {
		if (Date.now() > deadline || child.exitCode !== null) {
			child.kill('SIGKILL');
			throw new Error(`${args.at(-1)} did not start:\n${output}`);
		}
		url = /Open (http:\/\/\S+)/.exec(output)?.[1];
		if (!url) await new Promise((resolve) => setTimeout(resolve, 20));
	}

	return {
		url,
		memory() {
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error('No memory report')), 10_000);
				child.once('message', (message) => {
					clearTimeout(timer);
					resolve(message.memory);
				});
				child.send('memory');
			});
		},
		async stop() {
			if (child.exitCode === null) child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
			await exited;
			clearTimeout(timer);
		}
	};
}
