import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import { importPublicKey } from '../../../src/lib/crypto/key-pair.ts';
import {
	ANALYSIS_MAX_BODY_BYTES,
	CreateAnalysisRequest,
	type AiInfo,
	type CreateAnalysisResponse
} from '../../../src/lib/shared/analyses.ts';
import { loadUcum } from '../../../src/lib/shared/records/index.ts';
import { requireSession, sessionRequired } from '../auth/session-middleware.ts';
import { ApiError, errorResponse } from '../errors.ts';
import { invalidRequest, invalidRequestHook } from '../invalid-request.ts';
import type { AnalysisJobs } from '../jobs/analysis-jobs.ts';
import { serveJobEvents } from '../jobs/stream-job-events.ts';

export interface AnalysisRoutesOptions {
	jobs: AnalysisJobs;
	heartbeatMs: number;
	/** Analyses one user may have running at once; each holds its records in memory. */
	maxRunningPerUser?: number;
	/** The configured cloud provider, as GET /v1/ai describes it; null when there is none. */
	cloud: AiInfo['cloud'];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const notFound = () =>
	new ApiError(404, 'analysis_not_found', 'There is no such analysis, or it has expired.');

async function readBody(c: Context): Promise<z.output<typeof CreateAnalysisRequest>> {
	// RFC 9110: media types are case-insensitive.
	const type = (c.req.header('content-type') ?? '').toLowerCase();
	if (!type.startsWith('application/json')) {
		throw invalidRequest([
			{ path: [], message: 'must be JSON, sent with Content-Type: application/json' }
		]);
	}
	let body: unknown;
	try {
		body = await c.req.json();
	} catch (error) {
		if (error instanceof ApiError) throw error;
		throw invalidRequest([{ path: [], message: 'is not valid JSON' }]);
	}
	// Observation units are checked against UCUM, whose table loads on first use.
	await loadUcum();
	const parsed = await CreateAnalysisRequest.safeParseAsync(body);
	if (!parsed.success) {
		throw invalidRequest(parsed.error.issues.map(({ path, message }) => ({ path, message })));
	}
	return parsed.data;
}

/**
 * POST /v1/analyses starts an analysis of the records sent and answers 202 at once; GET
 * /v1/analyses/:id/events streams its sealed events; DELETE /v1/analyses/:id cancels it. GET
 * /v1/ai says which cloud provider, if any, would receive what. Jobs live in this process's
 * memory (job-store.ts): a reconnect must reach the same instance.
 */
export function analysisRoutes({
	jobs,
	heartbeatMs,
	maxRunningPerUser = 4,
	cloud
}: AnalysisRoutesOptions) {
	const app = new OpenAPIHono({ defaultHook: invalidRequestHook });
	app.use('/ai', sessionRequired);
	app.use('/analyses', sessionRequired);
	app.use('/analyses/*', sessionRequired);
	app.use(
		'/analyses',
		bodyLimit({
			maxSize: ANALYSIS_MAX_BODY_BYTES,
			onError: (c) =>
				errorResponse(
					c,
					new ApiError(
						413,
						'payload_too_large',
						`The request is over ${ANALYSIS_MAX_BODY_BYTES / 1024 / 1024} MB. Choose fewer records.`
					)
				)
		})
	);

	app.get('/ai', (c) => c.json({ cloud } satisfies AiInfo, 200));

	app.post('/analyses', async (c) => {
		const { userId } = requireSession(c);
		const body = await readBody(c);
		if (body.processing === 'cloud' && !jobs.hasCloud) {
			throw invalidRequest([
				{ path: ['processing'], message: 'no cloud provider is configured on this server' }
			]);
		}
		let publicKey;
		try {
			publicKey = await importPublicKey(body.publicKey);
		} catch {
			throw invalidRequest([
				{
					path: ['publicKey'],
					message: 'must be an ECDH P-256 public key (JWK with kty, crv, x, y)'
				}
			]);
		}
		if (jobs.running(userId) >= maxRunningPerUser) {
			throw new ApiError(
				429,
				'rate_limited',
				'Several analyses are still running. Try again when one has finished.',
				{ retryAfterSeconds: 5 },
				{ 'Retry-After': '5' }
			);
		}
		const job = jobs.start({
			userId,
			publicKey,
			processing: body.processing,
			input: { records: body.records, ...(body.language ? { language: body.language } : {}) }
		});
		return c.json({ analysisId: job.id } satisfies CreateAnalysisResponse, 202);
	});

	const findJob = (c: Context) => {
		const { userId } = requireSession(c);
		const id = c.req.param('id') ?? '';
		const job = UUID.test(id) ? jobs.find(id.toLowerCase(), userId) : undefined;
		if (!job) throw notFound();
		return job;
	};

	app.get('/analyses/:id/events', (c) => serveJobEvents(c, findJob(c), heartbeatMs));

	app.delete('/analyses/:id', (c) => {
		// The stream ends with `error` cancelled and `done`; a finished job is left as it was.
		findJob(c).cancel();
		return c.body(null, 204);
	});

	return app;
}
