import { z } from 'zod';

export const RecordKind = z.enum([
	'patient',
	'observation',
	'condition',
	'medication-statement',
	'allergy-intolerance',
	'immunization',
	'document-reference',
	'note'
]);
export type RecordKind = z.infer<typeof RecordKind>;
