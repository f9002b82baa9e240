// `npm test`: every suite, in order, each to the end even when an earlier one failed, then one
// summary. Unit and integration run in Vitest, browser tests in Playwright on Debian's Chromium.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const reports = join(root, '.test-reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

function run(command, args, env = {}) {
	const result = spawnSync(command, args, {
		cwd: root,
		stdio: 'inherit',
		env: { ...process.env, ...env }
	});
	return result.status ?? 1;
}

const firstLine = (text = '') => text.split('\n').find((line) => line.trim()) ?? '';

// Each failed test as "file › title: first line of the error", so the tail of a CI log names it.
function vitestReport(file) {
	if (!existsSync(file)) return null;
	const report = JSON.parse(readFileSync(file, 'utf8'));
	const failures = report.testResults.flatMap((result) => {
		const path = result.name.replace(root, '');
		const tests = result.assertionResults.filter((test) => test.status === 'failed');
		// A file that failed before any test ran (an import error) has only its own message.
		if (tests.length === 0 && result.status === 'failed')
			return [`${path}: ${firstLine(result.message)}`];
		return tests.map((t) => `${path} › ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
	});
	const counts = {
		passed: report.numPassedTests,
		failed: report.numFailedTests,
		skipped: report.numPendingTests + report.numTodoTests
	};
	return { counts, failures };
}

function playwrightReport(file) {
	if (!existsSync(file)) return null;
	const { stats, suites } = JSON.parse(readFileSync(file, 'utf8'));
	const failures = [];
	const visit = (suite) => {
		for (const spec of suite.specs ?? []) {
			for (const test of spec.tests) {
				if (test.status !== 'unexpected') continue;
				const error = test.results.at(-1)?.error?.message;
				failures.push(`${spec.file} › ${spec.title}: ${firstLine(error)}`);
			}
		}
		for (const child of suite.suites ?? []) visit(child);
	};
	for (const suite of suites) visit(suite);
	const counts = {
		passed: stats.expected + stats.flaky,
		failed: stats.unexpected,
		skipped: stats.skipped
	};
	return { counts, failures };
}

const suites = [];

for (const project of ['unit', 'integration']) {
	const output = join(reports, `${project}.json`);
	console.log(`\n━━ ${project} tests (Vitest) ━━`);
	const status = run('npx', [
		'vitest',
		'run',
		'--project',
		project,
		'--reporter=default',
		'--reporter=json',
		`--outputFile.json=${output}`
	]);
	suites.push({ name: project, status, ...vitestReport(output) });
}

console.log('\n━━ browser tests (Playwright, Chromium) ━━');
let e2eStatus = run('node', ['scripts/ensure-chromium.mjs']);
if (e2eStatus === 0) e2eStatus = run('node', ['scripts/ensure-build.mjs']);
const e2eOutput = join(reports, 'e2e.json');
if (e2eStatus === 0) {
	e2eStatus = run('npx', ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_FILE: e2eOutput });
}
suites.push({ name: 'browser', status: e2eStatus, ...playwrightReport(e2eOutput) });

console.log('\n━━ summary ━━');
const total = { passed: 0, failed: 0, skipped: 0 };
for (const { name, status, counts, failures } of suites) {
	if (!counts) {
		console.log(`${name}: did not run (exit ${status})`);
		total.failed += 1;
		continue;
	}
	// A runner that exits non-zero with no failed test (a crash, a config error) still fails the run.
	if (status !== 0 && counts.failed === 0) counts.failed = 1;
	console.log(
		`${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`
	);
	for (const failure of failures) console.log(`  ✗ ${failure}`);
	for (const key of Object.keys(total)) total[key] += counts[key];
}
console.log(`total: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed === 0 && suites.every((s) => s.status === 0) ? 0 : 1);
