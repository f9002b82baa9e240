// The real sync-server (sync-server/src/main.ts, unchanged), plus event-loop delay measured with
// perf_hooks.monitorEventLoopDelay for extraction.bench.mjs: on the IPC message 'lag-start' the
// histogram starts afresh (answered with { started }); on 'lag-stop' the process answers with its percentiles
// in ms.
// Run as: node --import tsx lag-server.mjs
import { monitorEventLoopDelay } from 'node:perf_hooks';

// The histogram holds each sampling timer's full interval, so an idle loop reads ≈ RESOLUTION_MS;
// the lag is what comes on top of it.
const RESOLUTION_MS = 1;
const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
const ms = (ns) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 10) / 10);

process.on('message', (message) => {
	if (message === 'lag-start') {
		histogram.reset();
		histogram.enable();
		process.send?.({ started: true });
	} else if (message === 'lag-stop') {
		histogram.disable();
		process.send?.({
			lag: {
				p50: ms(histogram.percentile(50)),
				p99: ms(histogram.percentile(99)),
				max: ms(histogram.max),
				samples: histogram.count
			}
		});
	}
});
// The channel must not keep the process alive after the server stops.
process.channel?.unref();

await import('../../sync-server/src/main.ts');
