import { z } from 'zod';

// The one shape every /v1 error takes, on every route, for every status.
export const ApiErrorBody = z.object({
	error: z.object({
		code: z.string(),
		message: z.string(),
		details: z.unknown().optional()
	})
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;
