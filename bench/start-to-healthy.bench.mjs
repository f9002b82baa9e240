// start_to_healthy_ms: a cold `npm start` on an installed, built tree (fresh PGlite data folder,
// so creating the database and migrating are included) until GET /v1/health answers 200.
// Median of 3. restart_to_healthy_ms: the same on an existing data folder.
import { freshDataDir, startCharta } from './server.mjs';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function run() {
	const cold = [];
	const warm = [];
	for (let i = 0; i < 3; i++) {
		const dataDir = freshDataDir();
		const first = await startCharta({ dataDir });
		cold.push(first.healthyAfterMs);
		await first.stop();
		const second = await startCharta({ dataDir });
		warm.push(second.healthyAfterMs);
		await second.stop();
	}
	return {
		start_to_healthy_ms: Math.round(median(cold)),
		restart_to_healthy_ms: Math.round(median(warm))
	};
}
