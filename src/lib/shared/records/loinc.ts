// LOINC codes are digits, a hyphen and a Mod 10 (Luhn) check digit, e.g. 2345-7 for glucose
// (LOINC Users' Guide, "Calculating Mod 10 check digits").
const LOINC_PATTERN = /^(\d{1,7})-(\d)$/;

export const LOINC_SYSTEM = 'http://loinc.org';

export function loincCheckDigit(digits: string): number {
	let sum = 0;
	for (let i = 0; i < digits.length; i++) {
		let digit = Number(digits[digits.length - 1 - i]);
		if (i % 2 === 0) {
			digit *= 2;
			if (digit > 9) digit -= 9;
		}
		sum += digit;
	}
	return (10 - (sum % 10)) % 10;
}

export function isLoincCode(code: string): boolean {
	const match = LOINC_PATTERN.exec(code);
	return match !== null && loincCheckDigit(match[1]!) === Number(match[2]);
}
