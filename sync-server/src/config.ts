import { resolve } from 'node:path';
import { z } from 'zod';
import { fromBase64Url } from '../../src/lib/crypto/base64url.ts';
import type { AiInfo } from '../../src/lib/shared/analyses.ts';
import type { ProviderOptions } from './ai/create-provider.ts';
import { GEMINI_DEFAULTS } from './ai/gemini/gemini-provider.ts';
import { OPENAI_DEFAULTS } from './ai/openai/openai-provider.ts';

const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const PostgresUrl = z
	.string()
	.refine((value) => URL.canParse(value) && /^postgres(ql)?:$/.test(new URL(value).protocol), {
		message: 'must be a postgres:// or postgresql:// URL'
	});

const HttpUrl = z
	.string()
	.refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
		message: 'must be an http:// or https:// URL'
	});

const ModelName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/, {
	message: 'must be a model name like gpt-4.1-mini'
});

const AUTH_SECRET_MIN_BYTES = 32;

const AuthSecret = z.string().transform((value, context) => {
	try {
		const bytes = fromBase64Url(value);
		if (bytes.length >= AUTH_SECRET_MIN_BYTES) return bytes;
	} catch {
		// reported below, with the same message as a short secret
	}
	context.addIssue({
		code: 'custom',
		message: `must be base64url of at least ${AUTH_SECRET_MIN_BYTES} random bytes (e.g. openssl rand -base64 32 | tr '+/' '-_' | tr -d '=')`
	});
	return z.NEVER;
});

// Every setting the server reads, in one place. Unknown variables are ignored; a bad value
// stops the start with one line naming the variable (see formatConfigErrors).
export const ConfigSchema = z.object({
	PORT: z.coerce
		.number({ message: 'must be a whole number from 0 to 65535' })
		.int({ message: 'must be a whole number from 0 to 65535' })
		.min(0, { message: 'must be a whole number from 0 to 65535' })
		.max(65535, { message: 'must be a whole number from 0 to 65535' })
		.default(8787),
	HOST: z.string().min(1, { message: 'must not be empty' }).default('127.0.0.1'),
	DATABASE_URL: PostgresUrl.optional(),
	DATA_DIR: z.string().min(1, { message: 'must not be empty' }).default('./data'),
	LOG_LEVEL: LogLevel.default('info'),
	BUILD_DIR: z.string().min(1, { message: 'must not be empty' }).default('./build'),
	MIGRATIONS_DIR: z
		.string()
		.min(1, { message: 'must not be empty' })
		.default('./supabase/migrations'),
	SHUTDOWN_TIMEOUT_MS: z.coerce
		.number({ message: 'must be a number of milliseconds' })
		.int({ message: 'must be a whole number of milliseconds' })
		.min(0, { message: 'must not be negative' })
		.default(10_000),
	DATABASE_CONNECT_TIMEOUT_S: z.coerce
		.number({ message: 'must be a number of seconds' })
		.int({ message: 'must be a whole number of seconds' })
		.min(1, { message: 'must be at least 1' })
		.max(10, { message: 'must be at most 10' })
		.default(5),
	AUTH_SECRET: AuthSecret.optional(),
	// How often an idle /v1/events stream gets a heartbeat comment; DESIGN.md asks for ≤ 25 s.
	SSE_HEARTBEAT_MS: z.coerce
		.number({ message: 'must be a number of milliseconds' })
		.int({ message: 'must be a whole number of milliseconds' })
		.min(10, { message: 'must be at least 10' })
		.max(25_000, { message: 'must be at most 25000' })
		.default(20_000),
	TRUSTED_PROXY_HOPS: z.coerce
		.number({ message: 'must be a whole number of proxies' })
		.int({ message: 'must be a whole number of proxies' })
		.min(0, { message: 'must not be negative' })
		.max(10, { message: 'must be at most 10' })
		.default(0),
	// AI import and analysis (issue 5). The local provider is always there; a cloud provider is
	// used only for requests that say `processing: 'cloud'`, which the app sends only for
	// profiles whose consent is recorded.
	AI_PROVIDER: z
		.enum(['local', 'openai', 'gemini'], { message: 'must be local, openai or gemini' })
		.default('local'),
	OPENAI_API_KEY: z.string().optional(),
	OPENAI_BASE_URL: HttpUrl.optional(),
	OPENAI_MODEL: ModelName.optional(),
	GEMINI_API_KEY: z.string().optional(),
	GEMINI_BASE_URL: HttpUrl.optional(),
	GEMINI_MODEL: ModelName.optional(),
	AI_TIMEOUT_MS: z.coerce
		.number({ message: 'must be a number of milliseconds' })
		.int({ message: 'must be a whole number of milliseconds' })
		.min(1000, { message: 'must be at least 1000' })
		.max(600_000, { message: 'must be at most 600000' })
		.default(120_000),
	AI_MAX_RETRIES: z.coerce
		.number({ message: 'must be a whole number of retries' })
		.int({ message: 'must be a whole number of retries' })
		.min(0, { message: 'must not be negative' })
		.max(10, { message: 'must be at most 10' })
		.default(2),
	// Import and analysis jobs one user may have running at once (each holds its input in
	// memory), and how long a finished job's sealed events stay for a reconnect.
	AI_JOBS_PER_USER: z.coerce
		.number({ message: 'must be a whole number of jobs' })
		.int({ message: 'must be a whole number of jobs' })
		.min(1, { message: 'must be at least 1' })
		.max(1000, { message: 'must be at most 1000' })
		.default(4),
	AI_JOB_RETAIN_MS: z.coerce
		.number({ message: 'must be a number of milliseconds' })
		.int({ message: 'must be a whole number of milliseconds' })
		.min(1000, { message: 'must be at least 1000' })
		.max(86_400_000, { message: 'must be at most 86400000 (a day)' })
		.default(15 * 60_000)
});

/** Which provider each named setting needs: a cloud provider without its key stops the start. */
const ConfigSchemaChecked = ConfigSchema.superRefine((config, context) => {
	const key = { openai: 'OPENAI_API_KEY', gemini: 'GEMINI_API_KEY' } as const;
	if (config.AI_PROVIDER === 'local') return;
	const name = key[config.AI_PROVIDER];
	if (!config[name]?.trim()) {
		context.addIssue({
			code: 'custom',
			path: [name],
			message: `is required when AI_PROVIDER=${config.AI_PROVIDER}`
		});
	}
});

export type Config = z.infer<typeof ConfigSchema> & { databaseKind: 'pglite' | 'postgres' };

export class ConfigError extends Error {
	constructor(readonly lines: string[]) {
		super(lines.join('\n'));
		this.name = 'ConfigError';
	}
}

// Never echoed in an error line: they may hold credentials.
const SECRET_VARIABLES = new Set([
	'DATABASE_URL',
	'AUTH_SECRET',
	'OPENAI_API_KEY',
	'GEMINI_API_KEY'
]);

/** Empty strings count as unset, as in most shells' `VAR= cmd`. */
function withoutEmpty(env: Record<string, string | undefined>) {
	return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
	const parsed = ConfigSchemaChecked.safeParse(withoutEmpty(env));
	if (!parsed.success) {
		throw new ConfigError(
			parsed.error.issues.map((issue) => {
				const name = String(issue.path[0] ?? 'environment');
				const value = env[name];
				const shown = SECRET_VARIABLES.has(name) || value === undefined ? '' : ` (got "${value}")`;
				return `Invalid ${name}${shown}: ${issue.message}`;
			})
		);
	}
	const config = parsed.data;
	return {
		...config,
		DATA_DIR: resolve(config.DATA_DIR),
		BUILD_DIR: resolve(config.BUILD_DIR),
		MIGRATIONS_DIR: resolve(config.MIGRATIONS_DIR),
		databaseKind: config.DATABASE_URL ? 'postgres' : 'pglite'
	};
}

/** The provider options createProvider takes, from the AI_* settings. */
export function providerOptions(config: Config): ProviderOptions {
	const common = { timeoutMs: config.AI_TIMEOUT_MS, maxRetries: config.AI_MAX_RETRIES };
	const models = (model: string | undefined) =>
		model ? { models: { extract: model, analyse: model } } : {};
	switch (config.AI_PROVIDER) {
		case 'local':
			return { provider: 'local' };
		case 'openai':
			return {
				provider: 'openai',
				openai: {
					apiKey: config.OPENAI_API_KEY ?? '',
					...(config.OPENAI_BASE_URL ? { baseUrl: config.OPENAI_BASE_URL } : {}),
					...models(config.OPENAI_MODEL),
					...common
				}
			};
		case 'gemini':
			return {
				provider: 'gemini',
				gemini: {
					apiKey: config.GEMINI_API_KEY ?? '',
					...(config.GEMINI_BASE_URL ? { baseUrl: config.GEMINI_BASE_URL } : {}),
					...models(config.GEMINI_MODEL),
					...common
				}
			};
	}
}

const RECEIVES =
	'The text of reports you import and the records you choose for an analysis, decrypted, for processing. The answer comes back encrypted to this device; Charta keeps no readable copy.';

/** GET /v1/ai's account of the cloud provider: who receives what, for the consent toggle. */
export function cloudInfo(config: Config): AiInfo['cloud'] {
	switch (config.AI_PROVIDER) {
		case 'local':
			return null;
		case 'openai':
			return {
				provider: 'openai',
				vendor: 'OpenAI',
				model: config.OPENAI_MODEL ?? OPENAI_DEFAULTS.models.analyse,
				receives: RECEIVES
			};
		case 'gemini':
			return {
				provider: 'gemini',
				vendor: 'Google (Gemini API)',
				model: config.GEMINI_MODEL ?? GEMINI_DEFAULTS.models.analyse,
				receives: RECEIVES
			};
	}
}
