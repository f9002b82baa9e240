// The real sync-server (sync-server/src/main.ts, unchanged), plus one thing for the bench: on the
// IPC message 'memory' it collects garbage and answers with process.memoryUsage(), so the bench
// can weigh what open connections cost. Run as: node --expose-gc --import tsx server-child.mjs
process.on('message', (message) => {
	if (message !== 'memory') return;
	globalThis.gc?.();
	process.send?.({ memory: process.memoryUsage() });
});
// The channel must not keep the process alive after the server stops.
process.channel?.unref();

await import('../../sync-server/src/main.ts');
