import { checkUcumUnit } from '../../../../src/lib/shared/records/ucum-units.ts';

// Unit spellings printed on lab reports → UCUM. Keys are lower-case with spaces removed and
// µ/μ written as u; anything not listed falls through to ucum-lhc's own validation.
const REPORT_SPELLINGS: Record<string, string> = {
	'mmol/l': 'mmol/L',
	'umol/l': 'umol/L',
	'nmol/l': 'nmol/L',
	'pmol/l': 'pmol/L',
	'mol/l': 'mol/L',
	'mmol/mol': 'mmol/mol',
	'g/l': 'g/L',
	'mg/l': 'mg/L',
	'ug/l': 'ug/L',
	'mcg/l': 'ug/L',
	'ng/l': 'ng/L',
	'g/dl': 'g/dL',
	'mg/dl': 'mg/dL',
	'ug/dl': 'ug/dL',
	'mcg/dl': 'ug/dL',
	'ng/dl': 'ng/dL',
	'ng/ml': 'ng/mL',
	'pg/ml': 'pg/mL',
	'ug/ml': 'ug/mL',
	'mcg/ml': 'ug/mL',
	'mg/ml': 'mg/mL',
	'meq/l': 'meq/L',
	'u/l': 'U/L',
	'iu/l': '[IU]/L',
	'iu/ml': '[IU]/mL',
	'u/ml': 'U/mL',
	'ku/l': 'kU/L',
	'kiu/l': 'k[IU]/L',
	'mu/l': 'm[IU]/L',
	'miu/l': 'm[IU]/L',
	'mu/ml': 'm[IU]/mL',
	'miu/ml': 'm[IU]/mL',
	'uu/ml': 'u[IU]/mL',
	'uiu/ml': 'u[IU]/mL',
	fl: 'fL',
	pg: 'pg',
	'%': '%',
	'l/l': 'L/L',
	ratio: '{ratio}',
	'mm/hr': 'mm/h',
	'mm/h': 'mm/h',
	'mm/1hr': 'mm/h',
	s: 's',
	sec: 's',
	secs: 's',
	seconds: 's',
	mmhg: 'mm[Hg]',
	kpa: 'kPa',
	'mosm/kg': 'mosm/kg',
	'mosmol/kg': 'mosm/kg',
	'mg/mmol': 'mg/mmol',
	'mg/g': 'mg/g',
	'mg/24h': 'mg/(24.h)',
	'mg/24hr': 'mg/(24.h)',
	'g/24h': 'g/(24.h)',
	'ml/min': 'mL/min',
	'ml/min/1.73': 'mL/min/{1.73_m2}',
	'ml/min/1.73m2': 'mL/min/{1.73_m2}',
	'ml/min/1.73m^2': 'mL/min/{1.73_m2}',
	'ml/min/1.73sqm': 'mL/min/{1.73_m2}',
	'ml/min/1.73m²': 'mL/min/{1.73_m2}',
	'ml/min/{1.73_m2}': 'mL/min/{1.73_m2}',
	'/hpf': '/[HPF]',
	hpf: '/[HPF]',
	'/lpf': '/[LPF]',
	'ng/mlfeu': 'ng/mL{FEU}',
	'ugfeu/ml': 'ug/mL{FEU}',
	'mg/lfeu': 'mg/L{FEU}',
	// Cell counts: "x10^9/L", "10*9/L", "x10E9/L" and the US "x10E3/uL", "K/uL", "thou/uL".
	'10^9/l': '10*9/L',
	'10*9/l': '10*9/L',
	'10e9/l': '10*9/L',
	'10^12/l': '10*12/L',
	'10*12/l': '10*12/L',
	'10e12/l': '10*12/L',
	'10^3/ul': '10*3/uL',
	'10*3/ul': '10*3/uL',
	'10e3/ul': '10*3/uL',
	'k/ul': '10*3/uL',
	'thou/ul': '10*3/uL',
	'10^6/ul': '10*6/uL',
	'10*6/ul': '10*6/uL',
	'10e6/ul': '10*6/uL',
	'm/ul': '10*6/uL',
	'mil/ul': '10*6/uL',
	'million/ul': '10*6/uL',
	'thousand/ul': '10*3/uL',
	'cells/ul': '/uL',
	'/ul': '/uL'
};

function spellingKey(printed: string): string {
	return printed
		.trim()
		.toLowerCase()
		.replace(/\s+/g, '')
		.replace(/[µμ]/g, 'u')
		.replace(/^(?:[x×]|\*)/, '')
		.replace(/[()]/g, '');
}

// The UCUM code for a unit as printed, or undefined when it is not a unit we can stand behind.
export function toUcumUnit(printed: string): string | undefined {
	const key = spellingKey(printed);
	if (key.length === 0 || key.length > 40) return undefined;
	const known = REPORT_SPELLINGS[key];
	if (known !== undefined) return known;
	// Bare words ("min", "g", "m") are valid UCUM but on a report are more often not units at
	// all, so the fall-through only takes compound units; ucum-lhc's "did you mean" guesses
	// are not evidence either.
	const unit = printed.trim();
	// ucum-lhc prints a console warning for spaces; such strings are never one unit anyway.
	if (!/[/[{%*^]/.test(unit) || /\s/.test(unit)) return undefined;
	return checkUcumUnit(unit).valid ? unit : undefined;
}

// [IU] and U name the same thing on reports ("mU/L" TSH is mIU/L); compare units with that in mind.
export function sameUnit(a: string, b: string): boolean {
	const plain = (unit: string) => unit.replace(/\[IU\]/g, 'U');
	return plain(a) === plain(b);
}
