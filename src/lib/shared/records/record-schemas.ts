import type { z } from 'zod';
import { AllergyIntolerance } from './allergy-intolerance.ts';
import { Condition } from './condition.ts';
import { DiagnosticReport } from './diagnostic-report.ts';
import { DocumentReference } from './document-reference.ts';
import { Immunization } from './immunization.ts';
import { MedicationStatement } from './medication-statement.ts';
import { Note } from './note.ts';
import { Observation } from './observation.ts';
import { Patient } from './patient.ts';
import type { RecordKind } from './record-kind.ts';

export const recordSchemas = {
	patient: Patient,
	observation: Observation,
	condition: Condition,
	'medication-statement': MedicationStatement,
	'allergy-intolerance': AllergyIntolerance,
	immunization: Immunization,
	'document-reference': DocumentReference,
	note: Note,
	'diagnostic-report': DiagnosticReport
} as const satisfies Record<RecordKind, z.ZodType>;

// What a form hands in (defaults and blanks allowed) and what is stored after parsing.
export type RecordInput<K extends RecordKind = RecordKind> = z.input<(typeof recordSchemas)[K]>;
export type RecordData<K extends RecordKind = RecordKind> = z.output<(typeof recordSchemas)[K]>;
