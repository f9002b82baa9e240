import type { UcumLhcUtils } from '@lhncbc/ucum-lhc';

// @lhncbc/ucum-lhc is CommonJS with a 233 kB JSON table of units, so it is imported on first use
// rather than at start-up: the bundler gives it a chunk of its own that only the first unit
// check fetches (the service worker precaches it, so that works offline too).
let ucum: UcumLhcUtils | undefined;
let loading: Promise<UcumLhcUtils> | undefined;

export function loadUcum(): Promise<UcumLhcUtils> {
	if (ucum) return Promise.resolve(ucum);
	loading ??= import('@lhncbc/ucum-lhc')
		.then((module) => {
			// Node exposes the CommonJS exports as named exports, bundlers as `default`.
			const exports = (module as unknown as { default?: typeof module }).default ?? module;
			ucum = exports.UcumLhcUtils.getInstance();
			return ucum;
		})
		.catch((error: unknown) => {
			loading = undefined;
			throw error;
		});
	return loading;
}

export function isUcumLoaded(): boolean {
	return ucum !== undefined;
}

// How people commonly write units on paper and in lab printouts, mapped to the UCUM code.
// Keys are lower-case; ucum-lhc's own suggestions cover unit names ("mmHg" → "mm[Hg]").
const COMMON_SPELLINGS: Record<string, string> = {
	mgdl: 'mg/dL',
	'mg/dl': 'mg/dL',
	gdl: 'g/dL',
	mmoll: 'mmol/L',
	mmol: 'mmol/L',
	bpm: '/min',
	'beats/min': '/min',
	'breaths/min': '/min',
	mmhg: 'mm[Hg]',
	'meq/l': 'meq/L',
	'iu/l': '[IU]/L',
	'iu/ml': '[IU]/mL',
	iu: '[IU]',
	'x10^9/l': '10*9/L',
	'x10*9/l': '10*9/L',
	'x10^12/l': '10*12/L',
	'kg/m^2': 'kg/m2',
	'kg/m²': 'kg/m2',
	'°c': 'Cel',
	degc: 'Cel',
	celsius: 'Cel',
	'°f': '[degF]',
	fahrenheit: '[degF]',
	lb: '[lb_av]',
	lbs: '[lb_av]',
	in: '[in_i]',
	ft: '[ft_i]',
	mcg: 'ug',
	cc: 'mL',
	units: 'U',
	'mm/hr': 'mm/h',
	hr: 'h',
	hrs: 'h'
};

function rewrites(unit: string): string[] {
	const plain = unit
		.replace(/\s+/g, '')
		.replace(/[µμ]/g, 'u')
		.replace(/²/g, '2')
		.replace(/³/g, '3')
		.replace(/^[x×]10/, '10');
	return [COMMON_SPELLINGS[unit.toLowerCase()], plain, plain.toLowerCase()].filter(
		(candidate): candidate is string => candidate !== undefined
	);
}

export type UnitCheck = { valid: true } | { valid: false; suggestion: string | undefined };

// Synchronous once loadUcum() has resolved, which is what lets the Observation schema parse
// synchronously after a single await at start-up.
export function checkUcumUnit(unit: string): UnitCheck {
	if (!ucum) throw new Error('UCUM definitions are not loaded: await loadUcum() first');
	const utils = ucum;
	const isValid = (candidate: string) =>
		candidate.length > 0 && utils.validateUnitString(candidate).status === 'valid';
	if (isValid(unit)) return { valid: true };
	const result = utils.validateUnitString(unit, true);
	const candidates = [
		...rewrites(unit),
		result.ucumCode ?? undefined,
		result.suggestions?.[0]?.units[0]?.[0]
	];
	return {
		valid: false,
		suggestion: candidates.find(
			(candidate): candidate is string =>
				candidate !== undefined && candidate !== unit && isValid(candidate)
		)
	};
}

export function unitMessage(unit: string, check: UnitCheck): string | undefined {
	if (check.valid) return undefined;
	return check.suggestion
		? `${unit} is not a unit we recognise — try ${check.suggestion}`
		: `${unit} is not a unit we recognise — use a UCUM unit such as mg/dL, mmol/L or 10*9/L`;
}
