import type { z } from 'zod';

// Per-field messages keyed by dotted path ("name", "value.unit", "identifiers.0.value"), the
// same path a form field binds to, so the form shows each message beside its field. The first
// message per field wins: one clear instruction beats a list.
export type FieldErrors = Record<string, string>;

export const FORM_ERROR_KEY = '';

export function toFieldErrors(error: z.ZodError): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of error.issues) {
		const key = issue.path.map(String).join('.');
		errors[key] ??= issue.message;
	}
	return errors;
}
