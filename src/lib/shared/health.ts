import { z } from 'zod';

export const DatabaseKind = z.enum(['pglite', 'postgres']);
export type DatabaseKind = z.infer<typeof DatabaseKind>;

export const Health = z.object({
	status: z.enum(['ok', 'degraded']),
	version: z.string(),
	database: z.object({ kind: DatabaseKind, ok: z.boolean() })
});
export type Health = z.infer<typeof Health>;
