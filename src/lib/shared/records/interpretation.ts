import { z } from 'zod';

// Its own module, without the Observation schema: the service worker parses extractions, whose
// flags these are, and importing observation.ts would bundle the UCUM table's lazy import,
// whose loader uses import.meta, which a classic service worker script cannot evaluate.

// HL7 v3 ObservationInterpretation: LL/HH are critically low/high, AA critically abnormal for
// results without a direction (a positive culture); A is abnormal.
export const Interpretation = z.enum(['LL', 'L', 'N', 'H', 'HH', 'A', 'AA']);
export type Interpretation = z.infer<typeof Interpretation>;
export const CRITICAL_INTERPRETATIONS: readonly Interpretation[] = ['LL', 'HH', 'AA'];
