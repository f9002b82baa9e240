import { toFieldErrors, type FieldErrors } from './field-errors.ts';
import type { RecordKind } from './record-kind.ts';
import { recordSchemas, type RecordData } from './record-schemas.ts';

export class RecordValidationError extends Error {
	readonly kind: RecordKind;
	readonly fieldErrors: FieldErrors;

	constructor(kind: RecordKind, fieldErrors: FieldErrors) {
		const fields = Object.keys(fieldErrors);
		super(`The ${kind} has ${fields.length} field(s) to fix: ${fields.join(', ') || '(form)'}`);
		this.name = 'RecordValidationError';
		this.kind = kind;
		this.fieldErrors = fieldErrors;
	}
}

export type RecordValidation<K extends RecordKind> =
	{ success: true; data: RecordData<K> } | { success: false; fieldErrors: FieldErrors };

// Async because the UCUM table loads on first use; see ucum-units.ts.
export async function validateRecord<K extends RecordKind>(
	kind: K,
	input: unknown
): Promise<RecordValidation<K>> {
	const result = await recordSchemas[kind].safeParseAsync(input);
	return result.success
		? { success: true, data: result.data as RecordData<K> }
		: { success: false, fieldErrors: toFieldErrors(result.error) };
}

export async function parseRecord<K extends RecordKind>(
	kind: K,
	input: unknown
): Promise<RecordData<K>> {
	const result = await validateRecord(kind, input);
	if (!result.success) throw new RecordValidationError(kind, result.fieldErrors);
	return result.data;
}
