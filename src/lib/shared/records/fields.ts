import { z } from 'zod';

// Field builders shared by the record schemas. Every message is written for the person filling
// in the form, because the form shows it beside the field (see field-errors.ts).
export const SHORT_TEXT = 200;
export const LONG_TEXT = 10_000;

const tooLong = (max: number) => `Keep this under ${max.toLocaleString('en')} characters`;

export function requiredText(missing: string, max = SHORT_TEXT) {
	return z.string({ error: missing }).trim().min(1, missing).max(max, tooLong(max));
}

// Forms submit an empty input as '' (or null); either means "not given".
export function optionalText(max = SHORT_TEXT) {
	return z
		.string({ error: 'Enter text here' })
		.trim()
		.max(max, tooLong(max))
		.nullish()
		.transform((text) => text || undefined);
}

export function optionalNumber(hint = 'Enter a number, like 5.4') {
	return z
		.number({ error: hint })
		.nullish()
		.transform((value) => value ?? undefined);
}

// Takes a z.enum's `.enum` object, to restate it with the form's message; '' is "not chosen".
export function optionalEnum<const T extends Readonly<Record<string, string>>>(
	values: T,
	message: string
) {
	return z
		.union([z.enum(values), z.literal(''), z.null()], { error: message })
		.optional()
		.transform((value) => value || undefined);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME =
	/^T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,3})?)?(Z|[+-](?:0\d|1[0-4]):[0-5]\d)$/;

function isCalendarDate(text: string): boolean {
	const match = DATE.exec(text);
	if (!match) return false;
	const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
	// Date.UTC rolls 2023-02-30 over to March; a real date survives the round trip.
	const date = new Date(Date.UTC(year, month - 1, day));
	return (
		year >= 1 &&
		date.getUTCFullYear() === year &&
		date.getUTCMonth() === month - 1 &&
		date.getUTCDate() === day
	);
}

// FHIR `date`, full precision only: a form always has all three parts.
export const DATE_HINT = 'Enter a date like 2024-03-15';
export const IsoDate = z.string({ error: DATE_HINT }).trim().refine(isCalendarDate, DATE_HINT);

// FHIR `dateTime`: a date, or a date and time; a time needs its offset (FHIR R4 §2.24.0.1), or
// two devices in different zones would read it differently.
export const DATE_TIME_HINT =
	'Enter a date like 2024-03-15, or a date and time like 2024-03-15T09:30+01:00';
export const IsoDateTime = z
	.string({ error: DATE_TIME_HINT })
	.trim()
	.refine(
		(text) =>
			isCalendarDate(text.slice(0, 10)) && (text.length === 10 || TIME.test(text.slice(10))),
		DATE_TIME_HINT
	);

export const optionalDate = () =>
	z
		.union([IsoDate, z.literal(''), z.null()], { error: DATE_HINT })
		.optional()
		.transform((value) => value || undefined);

export const optionalDateTime = () =>
	z
		.union([IsoDateTime, z.literal(''), z.null()], { error: DATE_TIME_HINT })
		.optional()
		.transform((value) => value || undefined);

// Dates and date-times compare as instants only when both carry a zone; comparing the leading
// calendar date is what a person means by "ended before it started" and needs no zone.
export function datePart(value: string): string {
	return value.slice(0, 10);
}

// A coded concept as FHIR's CodeableConcept, reduced to what a form collects: the words a person
// reads, and optionally the code and code system an import or a picker supplies.
export function concept(missing: string) {
	return z.object(
		{
			display: requiredText(missing),
			system: optionalText(),
			code: optionalText(64)
		},
		{ error: missing }
	);
}
