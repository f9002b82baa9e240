import { z } from 'zod';
import {
	concept,
	LONG_TEXT,
	optionalDate,
	optionalEnum,
	optionalText,
	requiredText
} from './fields.ts';
import { Severity } from './condition.ts';

export const AllergyCriticality = z.enum(['low', 'high', 'unable-to-assess']);
export const AllergyClinicalStatus = z.enum(['active', 'inactive', 'resolved']);
export const AllergyType = z.enum(['allergy', 'intolerance']);
export const AllergyCategory = z.enum(['food', 'medication', 'environment', 'biologic']);

export const AllergyReaction = z.object({
	manifestation: requiredText('Describe the reaction, e.g. Hives'),
	severity: optionalEnum(Severity.enum, 'Choose mild, moderate or severe')
});
export type AllergyReaction = z.infer<typeof AllergyReaction>;

export const AllergyIntolerance = z.object({
	substance: concept('Enter the substance, e.g. Penicillin'),
	clinicalStatus: z
		.enum(AllergyClinicalStatus.options, { error: 'Choose active, inactive or resolved' })
		.default('active'),
	type: optionalEnum(AllergyType.enum, 'Choose allergy or intolerance'),
	category: optionalEnum(AllergyCategory.enum, 'Choose food, medication, environment or biologic'),
	criticality: optionalEnum(AllergyCriticality.enum, 'Choose low, high or unable to assess'),
	reactions: z
		.array(AllergyReaction)
		.max(20, 'Keep at most 20 reactions')
		.nullish()
		.transform((reactions) => reactions ?? []),
	recordedDate: optionalDate(),
	note: optionalText(LONG_TEXT)
});
export type AllergyIntolerance = z.infer<typeof AllergyIntolerance>;
