import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { createProvider } from './ai/create-provider.ts';
import type { Provider } from './ai/provider.ts';
import { createSessionCache } from './auth/session-cache.ts';
import { loadSession } from './auth/session-middleware.ts';
import { ApiError, errorResponse } from './errors.ts';
import { invalidRequestHook, unreadableBody } from './invalid-request.ts';
import type { AiInfo } from '../../src/lib/shared/analyses.ts';
import { createAnalysisJobs } from './jobs/analysis-jobs.ts';
import { createImportJobs, type ImportJobs } from './jobs/import-jobs.ts';
import { createJobStore, logJobError, type JobStore } from './jobs/job-store.ts';
import type { Logger } from './logger.ts';
import { requestLog } from './request-log.ts';
import { attachmentRoutes } from './routes/attachments.ts';
import { analysisRoutes } from './routes/analyses.ts';
import { authRoutes } from './routes/auth.ts';
import { eventRoutes } from './routes/events.ts';
import { healthRoutes } from './routes/health.ts';
import { importRoutes } from './routes/imports.ts';
import { profileRoutes } from './routes/profiles.ts';
import { sharingRoutes } from './routes/sharing.ts';
import { syncRoutes } from './routes/sync.ts';
import type { Store } from './store/store.ts';
import { createChangeFeed, type ChangeFeed } from './sync/change-feed.ts';

export interface AppOptions {
	store: Store;
	version: string;
	logger: Logger;
	auth: {
		/** AUTH_SECRET, or the one kept in charta.server_secrets (loadServerSecret). */
		secret: Uint8Array;
		/** TRUSTED_PROXY_HOPS; 0 when clients connect directly. */
		trustedProxyHops?: number;
		/** How long a looked-up session is reused without the database (session-cache.ts); 5 s. */
		sessionCacheMs?: number;
	};
	events?: {
		/** The LISTEN/NOTIFY fan-out; main.ts closes it (ending every stream) before shutting down. */
		feed?: ChangeFeed;
		/** SSE_HEARTBEAT_MS; 20 s by default. */
		heartbeatMs?: number;
	};
	imports?: {
		/** Who extracts the lab values; the local provider unless configured otherwise. */
		provider?: Provider;
		/** How long a finished job's sealed events stay for replay; 15 minutes. */
		retainMs?: number;
		/** Jobs one user may have working at once; 4. */
		maxRunningPerUser?: number;
		/** The job registry itself, for tests that look inside; built from the above otherwise. */
		jobs?: ImportJobs;
	};
	ai?: {
		/** The AI_PROVIDER's provider and what GET /v1/ai says of it; only for processing 'cloud'. */
		cloud?: { provider: Provider; info: NonNullable<AiInfo['cloud']> };
		/** Who writes analyses for processing 'local'; the local provider. */
		localProvider?: Provider;
		/** Where import and analysis jobs live; main.ts closes it (ending their streams) on shutdown. */
		jobs?: JobStore;
		/** Analyses one user may have running at once; 4. */
		maxRunningPerUser?: number;
		/** Deltas within this many ms travel as one event (analysis-run.ts); 25. */
		coalesceMs?: number;
	};
}

/** The /v1 API. Every error, whatever its cause, leaves as { error: { code, message, details? } }. */
export function createApp({
	store,
	version,
	logger,
	auth,
	events = {},
	imports = {},
	ai = {}
}: AppOptions) {
	const app = new OpenAPIHono({ defaultHook: invalidRequestHook }).basePath('/v1');

	app.use('*', requestLog(logger));
	app.use('*', secureHeaders());
	app.use('*', async (c, next) => {
		await next();
		// API answers may carry ciphertext and session state: never into a shared or browser cache.
		c.header('Cache-Control', 'no-store');
	});

	app.route('/', healthRoutes({ store, version }));

	// After health, which answers without a caller and must say 503 (not fail) when the database
	// is down; every route registered below sees c.get('session').
	const sessions = createSessionCache({ store, ttlMs: auth.sessionCacheMs });
	app.use('*', loadSession({ store, cache: sessions }));
	app.route(
		'/',
		authRoutes({
			store,
			secret: auth.secret,
			trustedProxyHops: auth.trustedProxyHops ?? 0,
			sessions
		})
	);
	app.route('/', profileRoutes({ store }));
	app.route(
		'/',
		sharingRoutes({ store, secret: auth.secret, trustedProxyHops: auth.trustedProxyHops ?? 0 })
	);
	app.route('/', syncRoutes({ store }));
	app.route('/', attachmentRoutes({ store }));
	app.route(
		'/',
		eventRoutes({
			store,
			feed: events.feed ?? createChangeFeed({ store }),
			heartbeatMs: events.heartbeatMs ?? 20_000
		})
	);

	const jobStore =
		ai.jobs ?? createJobStore({ retainMs: imports.retainMs, onError: logJobError(logger) });
	const localProvider = ai.localProvider ?? createProvider({ provider: 'local' });
	app.route(
		'/',
		importRoutes({
			jobs:
				imports.jobs ??
				createImportJobs({
					provider: imports.provider ?? localProvider,
					cloudProvider: ai.cloud?.provider,
					logger,
					store: jobStore
				}),
			heartbeatMs: events.heartbeatMs ?? 20_000,
			maxRunningPerUser: imports.maxRunningPerUser
		})
	);
	app.route(
		'/',
		analysisRoutes({
			jobs: createAnalysisJobs({
				store: jobStore,
				provider: localProvider,
				cloudProvider: ai.cloud?.provider,
				logger,
				coalesceMs: ai.coalesceMs
			}),
			heartbeatMs: events.heartbeatMs ?? 20_000,
			maxRunningPerUser: ai.maxRunningPerUser,
			cloud: ai.cloud?.info ?? null
		})
	);

	app.doc31('/openapi.json', {
		openapi: '3.1.0',
		info: {
			title: 'Charta sync-server API',
			version,
			description:
				'Every error response has the body { error: { code, message, details? } } (ApiErrorBody).'
		}
	});

	app.notFound((c) =>
		errorResponse(
			c,
			new ApiError(404, 'not_found', `There is no API route ${c.req.method} ${c.req.path}.`)
		)
	);

	app.onError((error, c) => {
		if (error instanceof ApiError) return errorResponse(c, error);
		const unreadable = unreadableBody(error);
		if (unreadable) return errorResponse(c, unreadable);
		if (error instanceof HTTPException) {
			const status = error.status as ContentfulStatusCode;
			return errorResponse(c, new ApiError(status, 'bad_request', error.message || 'Bad request.'));
		}
		logger.error({ err: { name: error.name, message: error.message } }, 'unhandled error');
		return errorResponse(
			c,
			new ApiError(500, 'internal', 'Something went wrong on the server. Please try again.')
		);
	});

	return app;
}

export type App = ReturnType<typeof createApp>;
