import { z } from 'zod';
import {
	concept,
	datePart,
	LONG_TEXT,
	optionalDate,
	optionalEnum,
	optionalText
} from './fields.ts';

export const ConditionClinicalStatus = z.enum([
	'active',
	'recurrence',
	'relapse',
	'inactive',
	'remission',
	'resolved'
]);
export const ConditionVerificationStatus = z.enum([
	'unconfirmed',
	'provisional',
	'differential',
	'confirmed',
	'refuted'
]);
export const Severity = z.enum(['mild', 'moderate', 'severe']);

const DATE_FIELDS = new Set(['onsetDate', 'abatementDate']);

export const Condition = z
	.object({
		code: concept('Enter the condition, e.g. Type 2 diabetes'),
		clinicalStatus: z
			.enum(ConditionClinicalStatus.options, {
				error: 'Choose whether the condition is active, in remission or resolved'
			})
			.default('active'),
		verificationStatus: optionalEnum(
			ConditionVerificationStatus.enum,
			'Choose confirmed, provisional, differential, unconfirmed or refuted'
		),
		severity: optionalEnum(Severity.enum, 'Choose mild, moderate or severe'),
		onsetDate: optionalDate(),
		abatementDate: optionalDate(),
		note: optionalText(LONG_TEXT)
	})
	.superRefine(
		(condition, ctx) => {
			const { onsetDate, abatementDate } = condition;
			if (onsetDate && abatementDate && datePart(abatementDate) < datePart(onsetDate)) {
				ctx.addIssue({
					code: 'custom',
					path: ['abatementDate'],
					message: 'The end date cannot be before the onset date'
				});
			}
		},
		// Zod skips object checks once any field fails; this one needs only the two dates, so the
		// form can show its message together with the others.
		{ when: ({ issues }) => !issues.some((issue) => DATE_FIELDS.has(String(issue.path?.[0]))) }
	);
export type Condition = z.infer<typeof Condition>;
