import { describeError } from '../account/describe-error.ts';
import {
	RecordValidationError,
	validateRecord,
	type RecordData,
	type RecordKind
} from '../shared/records/index.ts';
import type { FormValues } from './form-spec.ts';
import { placeErrors, toRecordInput } from './form-values.ts';

export type SubmitOutcome =
	{ ok: true; id: string } | { ok: false; fields: Record<string, string>; form: string | null };

/**
 * Checks a form against its schema (messages beside each field, nothing written), then hands the
 * record to `save`. A save that fails (storage full, …) writes nothing and says why.
 */
export async function submitRecord(
	kind: RecordKind,
	values: FormValues,
	existing: unknown,
	save: (data: RecordData) => Promise<string>
): Promise<SubmitOutcome> {
	try {
		const result = await validateRecord(kind, toRecordInput(kind, values, existing));
		if (!result.success) return { ok: false, ...placeErrors(kind, result.fieldErrors) };
		return { ok: true, id: await save(result.data) };
	} catch (error) {
		if (error instanceof RecordValidationError) {
			return { ok: false, ...placeErrors(kind, error.fieldErrors) };
		}
		return { ok: false, fields: {}, form: describeError(error) };
	}
}
