// NHS numbers are ten digits, the last a Modulus 11 check digit (NHS Data Dictionary,
// "NHS Number"); a remainder of 10 means the number was never issued.
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';

export function isNhsNumber(text: string): boolean {
	const digits = text.replace(/[\s-]/g, '');
	if (!/^\d{10}$/.test(digits)) return false;
	let sum = 0;
	for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
	const check = 11 - (sum % 11);
	if (check === 10) return false;
	return (check === 11 ? 0 : check) === Number(digits[9]);
}
