import type { AddressInfo } from 'node:net';
import pkg from '../../package.json' with { type: 'json' };
import { closeOcr } from './ai/ocr/ocr-engine.ts';
import { closePdfReader } from './ai/pdf/pdf-reader.ts';
import { createApp } from './app.ts';
import { loadServerSecret } from './auth/server-secret.ts';
import { createProvider } from './ai/create-provider.ts';
import { cloudInfo, ConfigError, loadConfig, providerOptions, type Config } from './config.ts';
import { createHttpServer } from './http-server.ts';
import { createJobStore, logJobError } from './jobs/job-store.ts';
import { createLogger } from './logger.ts';
import { loadPageHandler, missingBuildHandler } from './page-handler.ts';
import { migrate } from './store/migrate.ts';
import { openStore } from './store/open-store.ts';
import { createChangeFeed } from './sync/change-feed.ts';

/** Start-up failures end with exactly one line a person can act on, and a non-zero exit. */
function fail(message: string): never {
	process.stderr.write(`charta: ${message.replace(/\s*\n\s*/g, '; ')}\n`);
	process.exit(1);
}

function databaseLabel(config: Config) {
	if (config.databaseKind === 'pglite') return `PGlite in ${config.DATA_DIR}/pglite`;
	const { hostname, port, pathname } = new URL(config.DATABASE_URL!);
	return `PostgreSQL at ${hostname}:${port || '5432'}${pathname}`;
}

async function main() {
	let config: Config;
	try {
		config = loadConfig();
	} catch (error) {
		if (error instanceof ConfigError) {
			for (const line of error.lines) process.stderr.write(`charta: ${line}\n`);
			process.exit(1);
		}
		throw error;
	}

	const logger = createLogger(config.LOG_LEVEL);
	const store = await openStore(config).catch((error: Error) => fail(error.message));
	const applied = await migrate(store, config.MIGRATIONS_DIR).catch(async (error: Error) => {
		await store.close().catch(() => {});
		return fail(error.message);
	});
	if (applied.length > 0) logger.info({ applied }, 'migrations applied');

	const pages = (await loadPageHandler(config.BUILD_DIR)) ?? missingBuildHandler(config.BUILD_DIR);
	const secret = config.AUTH_SECRET ?? (await loadServerSecret(store));
	const feed = createChangeFeed({ store });
	const info = cloudInfo(config);
	const cloud = info ? { provider: createProvider(providerOptions(config)), info } : undefined;
	const jobs = createJobStore({
		retainMs: config.AI_JOB_RETAIN_MS,
		onError: logJobError(logger)
	});
	const app = createApp({
		store,
		version: pkg.version,
		logger,
		auth: { secret, trustedProxyHops: config.TRUSTED_PROXY_HOPS },
		events: { feed, heartbeatMs: config.SSE_HEARTBEAT_MS },
		imports: { maxRunningPerUser: config.AI_JOBS_PER_USER },
		ai: { cloud, jobs, maxRunningPerUser: config.AI_JOBS_PER_USER }
	});
	const { server, close } = createHttpServer({ app, pages });

	server.once('error', async (error: NodeJS.ErrnoException) => {
		await store.close().catch(() => {});
		fail(
			error.code === 'EADDRINUSE'
				? `PORT ${config.PORT} is already in use on ${config.HOST}; set PORT to a free port`
				: error.message
		);
	});

	server.listen(config.PORT, config.HOST, () => {
		const { port } = server.address() as AddressInfo;
		const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
		logger.info({ port, database: config.databaseKind }, 'listening');
		process.stdout.write(
			`\nCharta is running. Open http://${host === '0.0.0.0' ? 'localhost' : host}:${port}\n` +
				`Database: ${databaseLabel(config)}. Stop with Ctrl+C.\n\n`
		);
	});

	let stopping = false;
	const stop = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		logger.info({ signal }, 'shutting down: finishing in-flight requests');
		// Event streams never finish on their own: end them first, or close() waits out its timeout.
		await feed.close();
		// Running imports and analyses are cancelled and their streams end; clients that
		// reconnect to the next instance are told the job is gone (404) and can start again.
		jobs.close();
		await close(config.SHUTDOWN_TIMEOUT_MS);
		// The OCR engine's worker thread would keep the process alive; the PDF reader's is ended too.
		await Promise.all([closeOcr(), closePdfReader()]);
		await store.close();
		logger.info('stopped');
		process.exit(0);
	};
	process.on('SIGTERM', () => void stop('SIGTERM'));
	process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
