import type { FieldErrors, RecordKind } from '../shared/records/index.ts';
import { formSpecs, type FieldSpec, type FormValues } from './form-spec.ts';

// Between a record's nested data and a form's flat text inputs. Editing starts from the stored
// data and overwrites only the paths the form shows, so fields the form does not show (a LOINC
// system, a second identifier) survive an edit untouched.

type Json = Record<string, unknown>;

function getPath(data: unknown, path: string): unknown {
	let current = data;
	for (const key of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Json)[key];
	}
	return current;
}

function setPath(data: Json, path: string, value: unknown): void {
	const keys = path.split('.');
	let current: Json = data;
	keys.slice(0, -1).forEach((key, index) => {
		const nextIsIndex = /^\d+$/.test(keys[index + 1]!);
		if (current[key] === null || typeof current[key] !== 'object')
			current[key] = nextIsIndex ? [] : {};
		current = current[key] as Json;
	});
	current[keys.at(-1)!] = value;
}

const NUMBER = /^[-+]?(\d+([.,]\d*)?|[.,]\d+)$/;

function parseNumber(text: string): number | string | null {
	const trimmed = text.trim();
	if (trimmed === '') return null;
	// Comma decimals are how much of Europe writes 5,4; both mean the same number.
	return NUMBER.test(trimmed) ? Number(trimmed.replace(',', '.')) : trimmed;
}

function toValue(field: FieldSpec, raw: string): unknown {
	switch (field.path) {
		case 'name.given':
			return raw.split(/\s+/).filter(Boolean);
		case 'address.lines':
			return raw
				.split('\n')
				.map((line) => line.trim())
				.filter(Boolean);
	}
	if (field.input === 'number') return parseNumber(raw);
	if (field.input === 'select') return raw === '' ? null : raw;
	return raw;
}

function defaults(kind: RecordKind): Json {
	switch (kind) {
		case 'observation':
			return { category: 'laboratory', status: 'final' };
		case 'note':
			return { docId: crypto.randomUUID() };
		default:
			return {};
	}
}

/** The record input a form describes, ready for the schema (which has the final word). */
export function toRecordInput(kind: RecordKind, values: FormValues, existing?: unknown): Json {
	// A JSON copy, not structuredClone: pages hold records in reactive proxies, which cannot be
	// structured-cloned, and records are JSON by construction.
	const data: Json = JSON.parse(JSON.stringify(existing ?? defaults(kind))) as Json;
	for (const field of formSpecs[kind].fields) {
		const raw = values[field.path] ?? '';
		if (kind === 'observation' && field.path === 'value.value') {
			const result = parseNumber(raw);
			data.value =
				result === null
					? undefined
					: typeof result === 'number'
						? { type: 'quantity', value: result, unit: values['value.unit'] ?? '' }
						: { type: 'string', value: result };
			continue;
		}
		if (kind === 'observation' && field.path === 'value.unit') continue;
		if (kind === 'patient' && field.path === 'identifiers.0.value') {
			const others = ((data.identifiers as Json[] | undefined) ?? []).slice(1);
			const first = (data.identifiers as Json[] | undefined)?.[0];
			data.identifiers =
				raw.trim() === ''
					? others
					: [{ system: (first?.system as string | undefined) ?? 'MRN', value: raw }, ...others];
			continue;
		}
		setPath(data, field.path, toValue(field, raw));
	}
	return data;
}

/** The form's text for a stored record. */
export function toFormValues(kind: RecordKind, data: unknown): FormValues {
	const values: FormValues = {};
	for (const field of formSpecs[kind].fields) {
		const value = getPath(data, field.path);
		values[field.path] = Array.isArray(value)
			? value.join(field.path === 'address.lines' ? '\n' : ' ')
			: value === undefined || value === null
				? ''
				: String(value);
	}
	return values;
}

/**
 * Each schema message goes beside the first field at or under its path ("value" → the Result
 * field); what fits no field is a message for the whole form.
 */
export function placeErrors(
	kind: RecordKind,
	errors: FieldErrors
): { fields: Record<string, string>; form: string | null } {
	const fields: Record<string, string> = {};
	const rest: string[] = [];
	for (const [path, message] of Object.entries(errors)) {
		const field = formSpecs[kind].fields.find(
			(spec) =>
				spec.path === path ||
				spec.path.startsWith(`${path}.`) ||
				(path !== '' && path.startsWith(`${spec.path}.`))
		);
		if (field) fields[field.path] ??= message;
		else rest.push(message);
	}
	return { fields, form: rest.length > 0 ? rest.join(' ') : null };
}
