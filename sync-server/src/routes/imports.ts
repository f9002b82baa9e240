import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { importPublicKey } from '../../../src/lib/crypto/key-pair.ts';
import type { CryptoKey } from '../../../src/lib/crypto/webcrypto.ts';
import {
	IMPORT_MAX_FILE_BYTES,
	ImportMediaType,
	type CreateImportResponse
} from '../../../src/lib/shared/imports.ts';
import { Processing } from '../../../src/lib/shared/analyses.ts';
import { requireSession, sessionRequired } from '../auth/session-middleware.ts';
import { ApiError, errorResponse } from '../errors.ts';
import { invalidRequest, invalidRequestHook } from '../invalid-request.ts';
import type { ImportJobs } from '../jobs/import-jobs.ts';
import { contentMatchesType } from '../../../src/lib/shared/media-signatures.ts';
import { serveJobEvents } from '../jobs/stream-job-events.ts';

export interface ImportRoutesOptions {
	jobs: ImportJobs;
	heartbeatMs: number;
	/** Jobs one user may have working at once; each holds its file in memory. */
	maxRunningPerUser?: number;
}

const MiB = 1024 * 1024;
// The multipart framing and the public key come on top of the file.
const MAX_BODY_BYTES = IMPORT_MAX_FILE_BYTES + 64 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const tooLarge = () =>
	new ApiError(
		413,
		'payload_too_large',
		`The file is over ${IMPORT_MAX_FILE_BYTES / MiB} MB. Split the document or add a smaller copy.`
	);

async function readForm(c: Context): Promise<FormData> {
	// RFC 9110: media types are case-insensitive.
	const type = (c.req.header('content-type') ?? '').toLowerCase();
	if (!type.startsWith('multipart/form-data')) {
		throw invalidRequest([{ path: [], message: 'must be sent as multipart/form-data' }]);
	}
	try {
		return await c.req.formData();
	} catch (error) {
		if (error instanceof ApiError) throw error;
		throw invalidRequest([{ path: [], message: 'is not readable multipart/form-data' }]);
	}
}

async function readPublicKey(field: ReturnType<FormData['get']>): Promise<CryptoKey> {
	const issue = (message: string) => invalidRequest([{ path: ['publicKey'], message }]);
	if (typeof field !== 'string') throw issue('is required: the job’s P-256 public key as a JWK');
	let jwk: unknown;
	try {
		jwk = JSON.parse(field);
	} catch {
		throw issue('must be a JSON Web Key');
	}
	try {
		return await importPublicKey(jwk);
	} catch {
		throw issue('must be an ECDH P-256 public key (JWK with kty, crv, x, y)');
	}
}

// Optional; 'cloud' only where a cloud provider is configured (the app asks GET /v1/ai first).
function readProcessing(field: ReturnType<FormData['get']>, hasCloud: boolean): Processing {
	if (field === null) return 'local';
	const parsed = Processing.safeParse(field);
	if (!parsed.success) {
		throw invalidRequest([{ path: ['processing'], message: 'must be local or cloud' }]);
	}
	if (parsed.data === 'cloud' && !hasCloud) {
		throw invalidRequest([
			{ path: ['processing'], message: 'no cloud provider is configured on this server' }
		]);
	}
	return parsed.data;
}

/**
 * POST /v1/imports starts a job for one file and answers 202 at once; GET
 * /v1/imports/:id/events streams its sealed events (stream-job-events.ts). A job lives in this
 * process's memory (import-jobs.ts): a reconnect must reach the same instance.
 */
export function importRoutes({ jobs, heartbeatMs, maxRunningPerUser = 4 }: ImportRoutesOptions) {
	const app = new OpenAPIHono({ defaultHook: invalidRequestHook });
	app.use('/imports', sessionRequired);
	app.use('/imports/*', sessionRequired);
	app.use(
		'/imports',
		bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => errorResponse(c, tooLarge()) })
	);

	app.post('/imports', async (c) => {
		const { userId } = requireSession(c);
		const form = await readForm(c);
		const file = form.get('file');
		if (!(file instanceof File)) {
			throw invalidRequest([{ path: ['file'], message: 'is required: the document as a file' }]);
		}
		if (file.size === 0) {
			throw new ApiError(400, 'empty_file', 'The file is empty. Choose the document again.');
		}
		if (file.size > IMPORT_MAX_FILE_BYTES) throw tooLarge();
		const declared = ImportMediaType.safeParse(file.type.split(';')[0]!.trim().toLowerCase());
		if (!declared.success) {
			throw new ApiError(
				415,
				'unsupported_type',
				'Only PDF, JPEG, PNG, WebP and plain text files can be imported.',
				{ accepted: ImportMediaType.options }
			);
		}
		const publicKey = await readPublicKey(form.get('publicKey'));
		const processing = readProcessing(form.get('processing'), jobs.hasCloud);
		const bytes = new Uint8Array(await file.arrayBuffer());
		if (!contentMatchesType(bytes, declared.data)) {
			bytes.fill(0);
			throw new ApiError(
				415,
				'type_mismatch',
				`The file's content is not ${declared.data}, the type it was sent as.`
			);
		}
		if (jobs.running(userId) >= maxRunningPerUser) {
			bytes.fill(0);
			throw new ApiError(
				429,
				'rate_limited',
				'Several imports are still running. Try again when one has finished.',
				{ retryAfterSeconds: 5 },
				{ 'Retry-After': '5' }
			);
		}
		const job = jobs.start({ userId, publicKey, bytes, mediaType: declared.data, processing });
		return c.json({ jobId: job.id } satisfies CreateImportResponse, 202);
	});

	app.get('/imports/:id/events', (c) => {
		const { userId } = requireSession(c);
		const jobId = c.req.param('id');
		const job = UUID.test(jobId) ? jobs.find(jobId.toLowerCase(), userId) : undefined;
		if (!job) {
			throw new ApiError(
				404,
				'import_not_found',
				'There is no such import job, or it has expired.'
			);
		}
		return serveJobEvents(c, job, heartbeatMs);
	});

	return app;
}
