import { z } from 'zod';
import { concept, IsoDateTime, LONG_TEXT, optionalText } from './fields.ts';

export const Immunization = z.object({
	vaccine: concept('Enter the vaccine, e.g. MMR'),
	status: z
		.enum(['completed', 'not-done'], { error: 'Choose given or not given' })
		.default('completed'),
	occurrenceDateTime: IsoDateTime,
	lotNumber: optionalText(64),
	site: optionalText(),
	doseNumber: z
		.number({ error: 'Enter the dose number, like 2' })
		.int('Enter a whole number, like 2')
		.min(1, 'The dose number starts at 1')
		.max(99, 'Enter a dose number under 100')
		.nullish()
		.transform((dose) => dose ?? undefined),
	performer: optionalText(),
	note: optionalText(LONG_TEXT)
});
export type Immunization = z.infer<typeof Immunization>;
