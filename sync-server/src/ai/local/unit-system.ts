// Whether a report writes SI units (mmol/L, g/L, 10*9/L — UK, Europe) or conventional ones
// (mg/dL, g/dL, 10*3/uL — US). It decides between mass and molar codes when a result has no
// unit, and day-first or month-first dates.
export type UnitSystem = 'si' | 'conventional';

const SI = new Set([
	'mmol/L',
	'umol/L',
	'nmol/L',
	'pmol/L',
	'g/L',
	'mg/L',
	'ug/L',
	'ng/L',
	'10*9/L',
	'10*12/L',
	'L/L',
	'mmol/mol',
	'mg/mmol',
	'[IU]/L',
	'm[IU]/L',
	'kU/L'
]);

export function isSiUnit(unit: string): boolean {
	return SI.has(unit);
}

const SI_SPELLINGS = /(mmol|[uµμ]mol|nmol|pmol)\/l\b|\bg\/l\b|10\^?\*?(e)?(9|12)\/l|mmol\/mol/gi;
const CONVENTIONAL_SPELLINGS =
	/\b(mg|g|[uµμ]g|ng|mcg)\/dl\b|10\^?\*?(e)?(3|6)\/[uµμ]l|\bk\/[uµμ]l|\bmeq\/l/gi;

export function detectUnitSystem(text: string): UnitSystem {
	const si = text.match(SI_SPELLINGS)?.length ?? 0;
	const conventional = text.match(CONVENTIONAL_SPELLINGS)?.length ?? 0;
	return conventional > si ? 'conventional' : 'si';
}
