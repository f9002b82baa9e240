import { z } from 'zod';

export const RecordKind = z.enum([
	'patient',
	'observation',
	'condition',
	'medication-statement',
	'allergy-intolerance',
	'immunization',
	'document-reference',
	'note',
	'diagnostic-report'
]);
export type RecordKind = z.infer<typeof RecordKind>;
