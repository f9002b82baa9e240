// @lhncbc/ucum-lhc ships no types (7.1.10); this covers the part we call.
declare module '@lhncbc/ucum-lhc' {
	export interface UcumValidation {
		status: 'valid' | 'invalid' | 'error';
		ucumCode: string | null;
		msg: string[];
		suggestions?: { msg: string; invalidUnit: string; units: [string, string, string | null][] }[];
	}
	export class UcumLhcUtils {
		static getInstance(): UcumLhcUtils;
		validateUnitString(unit: string, suggest?: boolean): UcumValidation;
	}
}
