import type { Page } from '@playwright/test';
import { expect } from './fixtures.ts';

/** Waits until the header says the last sync finished: "Synced hh:mm". */
export const synced = (page: Page) =>
	expect(page.getByTestId('sync-status')).toHaveText(/^Synced \d/, { timeout: 20_000 });
