// npm run bench [-- NAME]: runs bench/*.bench.mjs (or only those whose name contains NAME), merges
// their figures as flat keys into bench/results/latest.json and prints that file.
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('.', import.meta.url).pathname;
const filter = process.argv[2] ?? '';
const benches = readdirSync(dir)
	.filter((name) => name.endsWith('.bench.mjs') && name.includes(filter))
	.sort();
if (benches.length === 0) {
	console.error(`No benchmark matches "${filter}". There are: ${readdirSync(dir).join(', ')}`);
	process.exit(1);
}

const resultsDir = join(dir, 'results');
const latest = join(resultsDir, 'latest.json');
mkdirSync(resultsDir, { recursive: true });
const results = existsSync(latest) ? JSON.parse(readFileSync(latest, 'utf8')) : {};

for (const name of benches) {
	console.error(`bench: ${name}…`);
	const { run } = await import(join(dir, name));
	const figures = await run();
	for (const [key, value] of Object.entries(figures)) results[key] = value;
}
results.measured_at = new Date().toISOString();
writeFileSync(latest, `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
