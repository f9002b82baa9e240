import { z } from 'zod';
import { isLoincCode } from '../records/loinc.ts';

// LOINC's SCALE_TYP: Qn results are numbers with a unit, Ord ranked answers ("Negative", "2+"),
// Nom names ("Escherichia coli", "O positive").
export const LabTestScale = z.enum(['Qn', 'Ord', 'Nom']);
export type LabTestScale = z.infer<typeof LabTestScale>;

// Only urine is told apart: the same words ("Glucose", "Protein", "Blood") name a different test
// in a urinalysis section, and nothing else on a report is worded that way.
export const LabTestSpecimen = z.enum(['blood', 'urine', 'stool']);
export type LabTestSpecimen = z.infer<typeof LabTestSpecimen>;

export const LabTest = z
	.object({
		loinc: z.string().refine(isLoincCode, 'not a LOINC code with a valid check digit'),
		// LOINC's LONG_COMMON_NAME, which is what LOINC asks displays to use.
		display: z.string().min(1),
		scale: LabTestScale,
		specimen: LabTestSpecimen,
		// Preferred UCUM unit first; null for results without a unit (Ord, Nom).
		unit: z.string().min(1).nullable(),
		// Other UCUM units reports print for the same property (g/L beside g/dL, 10*9/L beside 10*3/uL).
		altUnits: z.array(z.string().min(1)),
		// How reports name the test, as printed; matched after normaliseTestName.
		synonyms: z.array(z.string().min(1)).min(1)
	})
	.refine((test) => test.scale !== 'Qn' || test.unit !== null, 'a Qn test needs a unit');
export type LabTest = z.infer<typeof LabTest>;

export function acceptedUnits(test: LabTest): string[] {
	return test.unit === null ? test.altUnits : [test.unit, ...test.altUnits];
}
