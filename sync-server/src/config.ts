import { resolve } from 'node:path';
import { z } from 'zod';
import { fromBase64Url } from '../../src/lib/crypto/base64url.ts';

const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const PostgresUrl = z
	.string()
	.refine((value) => URL.canParse(value) && /^postgres(ql)?:$/.test(new URL(value).protocol), {
		message: 'must be a postgres:// or postgresql:// URL'
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
		.default(0)
});

export type Config = z.infer<typeof ConfigSchema> & { databaseKind: 'pglite' | 'postgres' };

export class ConfigError extends Error {
	constructor(readonly lines: string[]) {
		super(lines.join('\n'));
		this.name = 'ConfigError';
	}
}

// Never echoed in an error line: they may hold credentials.
const SECRET_VARIABLES = new Set(['DATABASE_URL', 'AUTH_SECRET']);

/** Empty strings count as unset, as in most shells' `VAR= cmd`. */
function withoutEmpty(env: Record<string, string | undefined>) {
	return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
	const parsed = ConfigSchema.safeParse(withoutEmpty(env));
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
