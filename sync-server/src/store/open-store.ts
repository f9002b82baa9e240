import { join } from 'node:path';
import type { Config } from '../config.ts';
import { openPgliteStore } from './pglite-store.ts';
import { openPostgresStore } from './postgres-store.ts';
import type { Store } from './store.ts';

export function openStore(config: Config): Promise<Store> {
	return config.DATABASE_URL
		? openPostgresStore(config.DATABASE_URL, {
				connectTimeoutSeconds: config.DATABASE_CONNECT_TIMEOUT_S
			})
		: openPgliteStore(join(config.DATA_DIR, 'pglite'));
}
