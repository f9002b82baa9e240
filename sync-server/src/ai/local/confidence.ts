// How sure the local provider is of one value, from what it had to go on. The figures are
// ordered rather than calibrated: a printed unit the test accepts scores highest; a unit taken
// from the table, a choice between two codes, or words skipped on the way lower it.
export type Evidence = {
	unit: 'accepted' | 'unexpected' | 'inferred' | 'dimensionless' | 'none';
	ambiguous: boolean;
	specimenMismatch: boolean;
	skipped: number;
};

const UNIT_WEIGHT: Record<Evidence['unit'], number> = {
	accepted: 0.05,
	dimensionless: 0,
	none: 0,
	inferred: -0.2,
	unexpected: -0.3
};

export function confidenceOf(evidence: Evidence): number {
	let confidence = 0.9 + UNIT_WEIGHT[evidence.unit];
	if (evidence.ambiguous && evidence.unit !== 'accepted') confidence -= 0.1;
	if (evidence.specimenMismatch) confidence -= 0.1;
	confidence -= Math.min(evidence.skipped, 3) * 0.05;
	return Math.round(Math.min(0.99, Math.max(0.05, confidence)) * 100) / 100;
}
