import type { RecordInput } from '../records/record-schemas.ts';
import type { ExtractedLabResult } from './extraction.ts';

// An accepted result as an Observation record (category laboratory). Observation has no
// comparator, so "<5 mg/L" stays text rather than becoming the number 5.
export function toObservation(
	result: ExtractedLabResult,
	{ effectiveDateTime }: { effectiveDateTime: string }
): RecordInput<'observation'> {
	const { value } = result;
	const observationValue =
		value.type === 'string'
			? { type: 'string' as const, value: value.value }
			: value.comparator !== undefined || value.unit === undefined
				? {
						type: 'string' as const,
						value: [`${value.comparator ?? ''}${value.value}`, value.unit].filter(Boolean).join(' ')
					}
				: { type: 'quantity' as const, value: value.value, unit: value.unit };
	return {
		category: 'laboratory',
		status: 'final',
		code: { system: result.code.system, code: result.code.code, display: result.code.display },
		value: observationValue,
		referenceRange: result.referenceRange && {
			low: result.referenceRange.low,
			high: result.referenceRange.high,
			text: result.referenceRange.text
		},
		interpretation: result.interpretation,
		effectiveDateTime
	};
}
