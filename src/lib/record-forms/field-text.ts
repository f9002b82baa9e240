import type { RecordKind } from '../shared/records/index.ts';
import { formSpecs, type FieldSpec } from './form-spec.ts';
import { toFormValues } from './form-values.ts';
import { formatResult } from './summarize.ts';

// How one stored field (a top-level key of a record: "severity", "code", "referenceRange") reads
// on the record page: the form's labels and option names, so a clinician compares
// "Moderate" with "Severe" rather than JSON. Used for the two sides of a conflict.

export interface FieldLine {
	label: string;
	text: string;
}

export const EMPTY_TEXT = 'Left empty';

const specsOf = (kind: RecordKind, field: string): FieldSpec[] =>
	formSpecs[kind].fields.filter((spec) => spec.path === field || spec.path.startsWith(`${field}.`));

// "referenceRange" → "Reference range".
const words = (field: string) => {
	const spaced = field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLocaleLowerCase();
	return spaced.charAt(0).toLocaleUpperCase() + spaced.slice(1);
};

function plain(value: unknown): string {
	if (value === null || value === undefined || value === '') return EMPTY_TEXT;
	if (Array.isArray(value)) return value.length ? value.map(plain).join(', ') : EMPTY_TEXT;
	if (typeof value === 'object') {
		const parts = Object.values(value).filter((part) => part !== null && part !== '');
		return parts.length ? parts.map(plain).join(', ') : EMPTY_TEXT;
	}
	return String(value);
}

export function fieldLabel(kind: RecordKind, field: string): string {
	if (kind === 'observation' && field === 'value') return 'Result';
	const specs = specsOf(kind, field);
	const [first] = specs;
	if (first && (specs.length === 1 || first.path === `${field}.display`)) return first.label;
	return words(field);
}

// One line per form field the stored field fills (a label only when there are several).
export function fieldLines(kind: RecordKind, field: string, value: unknown): FieldLine[] {
	if (value === null || value === undefined) return [{ label: '', text: EMPTY_TEXT }];
	if (kind === 'observation' && field === 'value') {
		return [{ label: '', text: formatResult(value as Parameters<typeof formatResult>[0]) }];
	}
	const specs = specsOf(kind, field);
	if (specs.length === 0) return [{ label: '', text: plain(value) }];
	const values = toFormValues(kind, { [field]: value });
	const lines = specs
		.map((spec) => {
			const raw = values[spec.path] ?? '';
			const option = spec.options?.find((choice) => choice.value === raw);
			const text = raw === '' ? EMPTY_TEXT : (option?.label ?? raw);
			return { label: specs.length > 1 ? spec.label : '', text };
		})
		.filter((line) => specs.length === 1 || line.text !== EMPTY_TEXT);
	return lines.length ? lines : [{ label: '', text: plain(value) }];
}
