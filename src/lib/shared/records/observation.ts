import { z } from 'zod';
import {
	IsoDateTime,
	LONG_TEXT,
	optionalEnum,
	optionalNumber,
	optionalText,
	requiredText
} from './fields.ts';
import { Interpretation } from './interpretation.ts';
import { isLoincCode, LOINC_SYSTEM } from './loinc.ts';
import { checkUcumUnit, isUcumLoaded, loadUcum, unitMessage } from './ucum-units.ts';

// Synchronous once UCUM is loaded; before that the check returns a promise, so `parse` throws
// zod's "use parseAsync" error and `parseAsync` loads the table and validates.
export const UcumUnit = requiredText('Enter the unit, e.g. mmol/L', 64).superRefine((unit, ctx) => {
	if (unit.length === 0) return;
	const report = () => {
		const message = unitMessage(unit, checkUcumUnit(unit));
		if (message) ctx.addIssue({ code: 'custom', message });
	};
	if (isUcumLoaded()) return report();
	return loadUcum().then(report);
});

export const ObservationCode = z.object(
	{
		system: z.literal(LOINC_SYSTEM).default(LOINC_SYSTEM),
		code: optionalText(16).refine(
			(code) => code === undefined || isLoincCode(code),
			'Enter a LOINC code like 2345-7 (digits, a hyphen and a check digit)'
		),
		display: requiredText('Enter the test name, e.g. Haemoglobin')
	},
	{ error: 'Enter the test name, e.g. Haemoglobin' }
);
export type ObservationCode = z.infer<typeof ObservationCode>;

const RESULT_HINT = 'Enter the result';

// One field rather than FHIR's valueQuantity/valueString pair, so a merge can never leave both.
export const ObservationValue = z.discriminatedUnion(
	'type',
	[
		z.object({
			type: z.literal('quantity'),
			value: z.number({
				error: (issue) =>
					issue.input === undefined || issue.input === null
						? RESULT_HINT
						: 'Enter the result as a number, like 5.4'
			}),
			unit: UcumUnit
		}),
		z.object({ type: z.literal('string'), value: requiredText(RESULT_HINT, 1_000) })
	],
	{ error: RESULT_HINT }
);
export type ObservationValue = z.infer<typeof ObservationValue>;

export const ReferenceRange = z
	.object({
		low: optionalNumber('Enter the lower limit as a number'),
		high: optionalNumber('Enter the upper limit as a number'),
		text: optionalText()
	})
	.superRefine((range, ctx) => {
		if (range.low !== undefined && range.high !== undefined && range.low > range.high) {
			ctx.addIssue({
				code: 'custom',
				path: ['high'],
				message: 'The upper limit must be at least the lower limit'
			});
		}
	})
	.nullish()
	.transform((range) =>
		range && (range.low !== undefined || range.high !== undefined || range.text) ? range : undefined
	);
export type ReferenceRange = z.infer<typeof ReferenceRange>;

export { CRITICAL_INTERPRETATIONS, Interpretation } from './interpretation.ts';

// FHIR Observation.derivedFrom, narrowed to what Charta links: the DocumentReference record (a
// lab report) an import read the value from, by record id. Records saved before it have none.
export const DerivedFrom = z
	.object(
		{
			type: z.literal('DocumentReference'),
			id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a record id')
		},
		{ error: 'Not a link to a document' }
	)
	.nullish()
	.transform((link) => link ?? undefined);
export type DerivedFrom = z.infer<typeof DerivedFrom>;

export const ObservationCategory = z.enum(['laboratory', 'vital-signs']);
export const ObservationStatus = z.enum(['registered', 'preliminary', 'final', 'amended']);

export const Observation = z.object({
	category: z.enum(ObservationCategory.options, {
		error: 'Choose laboratory or vital signs'
	}),
	status: z
		.enum(ObservationStatus.options, { error: 'Choose preliminary, final or amended' })
		.default('final'),
	code: ObservationCode,
	value: ObservationValue,
	referenceRange: ReferenceRange,
	interpretation: optionalEnum(Interpretation.enum, 'Choose low, normal, high, or a critical flag'),
	effectiveDateTime: IsoDateTime,
	specimen: optionalText(),
	performer: optionalText(),
	note: optionalText(LONG_TEXT),
	derivedFrom: DerivedFrom
});
export type Observation = z.infer<typeof Observation>;
