import type { UserDb } from '../db/index.ts';
import { ImportKeyMissingError, ImportsOfflineError, ImportsSignedOutError } from './errors.ts';
import { ACTIVE_IMPORT_STATES } from './import-states.ts';
import { runImportJob, type ImportJobDeps } from './run-import-job.ts';

// 'offline': stopped at the first job the server could not be reached for (later ones would
// fail the same way); 'waiting': some jobs need a key the page has not handed over (locked).
export type DrainOutcome = 'done' | 'waiting' | 'offline' | 'signed-out';

/**
 * Works through every import that still has work, oldest first, one at a time (each holds its
 * file in memory while it is sent). The caller makes sure only one drain runs.
 */
export async function drainImports(
	deps: ImportJobDeps & {
		db: UserDb;
		// Whether a key for the profile was handed over; its jobs are skipped (and wait) if not.
		hasKeys: (profileId: string) => boolean;
		onUnexpected?: (error: unknown) => void;
	}
): Promise<DrainOutcome> {
	const rows = await deps.db.imports
		.filter((row) => ACTIVE_IMPORT_STATES.includes(row.state))
		.toArray();
	rows.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
	let waiting = false;
	for (const row of rows) {
		deps.signal?.throwIfAborted();
		if (!deps.hasKeys(row.profileId)) {
			waiting = true;
			continue;
		}
		try {
			await runImportJob(deps, row.id);
		} catch (error) {
			if (deps.signal?.aborted) throw error;
			if (error instanceof ImportsOfflineError) return 'offline';
			if (error instanceof ImportsSignedOutError) return 'signed-out';
			if (error instanceof ImportKeyMissingError) {
				waiting = true;
				continue;
			}
			// Anything else (a key that does not open this job's sealed key, an event that does
			// not open) will not get better by retrying: the person sees it and chooses.
			deps.onUnexpected?.(error);
			await deps.db.imports.update(row.id, {
				state: 'failed',
				percent: 0,
				error: {
					code: 'import-failed',
					message: 'Charta could not continue this import. Retry it, or delete it.'
				},
				updatedAt: (deps.now ?? Date.now)()
			});
		}
	}
	return waiting ? 'waiting' : 'done';
}
