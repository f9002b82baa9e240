// Issue 6 note targets, measured in one Chromium run (bench/notes/entry.ts does the work in the
// page, with real IndexedDB and WebCrypto, under the app's CSP):
//   note_load_ratio     a note typed as 100,000 single-character edits (a clinician's mix of
//                       typing, backspace runs and cursor moves) through the app's persistence,
//                       loaded from the encrypted store as left ÷ Yjs applying the same plain
//                       state from memory                                          target ≤ 2
//   note_storage_ratio  encrypted bytes stored ÷ plain Yjs state, after compaction   ≤ 1.2
// Figures are medians of alternating rounds; note_load_compacted_ratio is the same load once the
// store holds one snapshot.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';
import { startBenchPage } from './page-server.mjs';

const EDITS = 100_000;
const PER_TICK = 50;
const ROUNDS = 31;
const DEADLINE_MS = 300_000;

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const round2 = (value) => Math.round(value * 100) / 100;
const ms = (value) => Math.round(value * 10) / 10;
// Chromium cleans up IndexedDB files in the background after commits and deletes (typing the
// note writes and deletes thousands of rows); a pause keeps that clean-up out of the figures.
const settle = () => new Promise((resolve) => setTimeout(resolve, 3000));

export async function run() {
	const site = await startBenchPage('notes');
	// On disk, as the installed app's IndexedDB is (off-the-record contexts keep it in memory).
	const profileDir = mkdtempSync(join(tmpdir(), 'charta-notes-profile-'));
	const browser = await chromium.launchPersistentContext(profileDir, {
		executablePath: chromiumPath,
		args: chromiumArgs
	});
	let timedOut = false;
	const deadline = setTimeout(() => {
		timedOut = true;
		void browser.close();
	}, DEADLINE_MS);
	try {
		const page = browser.pages()[0] ?? (await browser.newPage());
		page.on('pageerror', (error) => console.error(`bench page: ${error.message}`));
		await page.goto(site.url);
		await page.waitForFunction(() => 'notesBench' in globalThis);
		const call = (name, input) =>
			page.evaluate(([name, input]) => globalThis.notesBench[name](input), [name, input]);

		const built = await call('buildNote', { edits: EDITS, perTick: PER_TICK });
		await settle();
		const loads = async () => {
			const runs = { ours: [], plain: [] };
			await call('loadOurs'); // warm-up: JIT and the key's first use
			await call('loadPlain');
			for (let i = 0; i < ROUNDS; i++) {
				for (const which of i % 2 ? ['plain', 'ours'] : ['ours', 'plain']) {
					runs[which].push((await call(which === 'ours' ? 'loadOurs' : 'loadPlain')).ms);
				}
			}
			return { ours: median(runs.ours), plain: median(runs.plain) };
		};
		const asBuilt = await loads();
		const weighed = await call('compactAndWeigh');
		await settle();
		const compacted = await loads();
		const explained = [];
		for (let i = 0; i < ROUNDS; i++) explained.push(await call('explainLoad'));
		const step = (name) => ms(median(explained.map((r) => r[name])));
		const readWhole = await call('explainRead', { bytes: weighed.storedBytes, parts: 1 });
		const readSplit = await call('explainRead', { bytes: weighed.storedBytes, parts: 5 });

		return {
			note_load_ratio: round2(asBuilt.ours / asBuilt.plain),
			note_storage_ratio: round2(weighed.storedBytes / weighed.plainBytes),
			note_load_ms: ms(asBuilt.ours),
			note_load_yjs_ms: ms(asBuilt.plain),
			note_load_rows: built.rows,
			note_load_compacted_ratio: round2(compacted.ours / compacted.plain),
			note_load_compacted_ms: ms(compacted.ours),
			note_load_compacted_yjs_ms: ms(compacted.plain),
			note_load_read_ms: step('readMs'),
			note_load_open_ms: step('openMs'),
			note_load_apply_ms: step('applyMs'),
			note_load_keys_ms: step('keysMs'),
			note_load_bulkget_ms: step('bulkGetMs'),
			note_read_one_value_ms: ms(readWhole.ms),
			note_read_five_values_ms: ms(readSplit.ms),
			note_edits: built.edits,
			note_deletes: built.deletes,
			note_characters: built.characters,
			note_build_ms: Math.round(built.buildMs),
			note_push_queue_rows: built.queued,
			note_push_queue_read_ms: ms(built.queueMs),
			note_plain_state_bytes: weighed.plainBytes,
			note_stored_bytes: weighed.storedBytes,
			note_stored_bytes_before_compaction: built.storedBytes
		};
	} catch (error) {
		throw timedOut ? new Error(`notes bench: over ${DEADLINE_MS} ms`, { cause: error }) : error;
	} finally {
		clearTimeout(deadline);
		await browser.close();
		await site.stop();
		rmSync(profileDir, { recursive: true, force: true });
	}
}
