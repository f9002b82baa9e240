import { pino, type Logger } from 'pino';

export type { Logger };

// Logs carry methods, paths, statuses and timings only: never bodies, query strings, cookies or
// headers, which could hold health data or credentials. The redaction list is a second wall.
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
	return pino(
		{
			level,
			base: { service: 'charta-sync-server' },
			redact: {
				paths: [
					'req.headers',
					'req.body',
					'req.query',
					'body',
					'ciphertext',
					'password',
					'*.password',
					'email',
					'*.email',
					'authKey',
					'*.authKey',
					'token',
					'*.token',
					'cookie',
					'*.cookie'
				],
				censor: '[redacted]'
			}
		},
		destination
	);
}
