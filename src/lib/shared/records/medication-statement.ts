import { z } from 'zod';
import { concept, datePart, LONG_TEXT, optionalDate, optionalText } from './fields.ts';

export const MedicationStatementStatus = z.enum([
	'active',
	'completed',
	'intended',
	'stopped',
	'on-hold',
	'not-taken',
	'unknown',
	'entered-in-error'
]);

// One field, because start and end only make sense together (end ≥ start), and fields merge
// one by one.
export const Period = z
	.object({ start: optionalDate(), end: optionalDate() })
	.superRefine((period, ctx) => {
		if (period.start && period.end && datePart(period.end) < datePart(period.start)) {
			ctx.addIssue({
				code: 'custom',
				path: ['end'],
				message: 'The end date cannot be before the start date'
			});
		}
	})
	.nullish()
	.transform((period) => (period && (period.start || period.end) ? period : undefined));
export type Period = z.infer<typeof Period>;

export const MedicationStatement = z.object({
	medication: concept('Enter the medication, e.g. Metformin 500 mg tablets'),
	status: z
		.enum(MedicationStatementStatus.options, {
			error: 'Choose whether it is being taken, stopped or completed'
		})
		.default('active'),
	dosage: optionalText(1_000),
	effectivePeriod: Period,
	reason: optionalText(),
	note: optionalText(LONG_TEXT)
});
export type MedicationStatement = z.infer<typeof MedicationStatement>;
