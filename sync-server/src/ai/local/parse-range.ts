import type { ExtractedRange } from '../../../../src/lib/shared/extraction/extraction.ts';
import { NUMBER, parseNumber, type NumberStyle } from './parse-number.ts';

export type ParsedRange = { range: ExtractedRange; length: number; unit?: string };

const BETWEEN = new RegExp(`^(${NUMBER})\\s*(?:-|–|—|to)\\s*(${NUMBER})`, 'i');
const ONE_SIDED = new RegExp(`^(<=|>=|≤|≥|<|>|up to|less than|greater than)\\s*(${NUMBER})`, 'i');
const QUALITATIVE = /^(negative|not detected|non[- ]?reactive|nil|none seen|normal|clear)/i;
const BRACKETED = /^[([]([^()[\]]*)[)\]]/;

function limits(
	text: string,
	style: NumberStyle
): { range: ExtractedRange; length: number } | undefined {
	const between = BETWEEN.exec(text);
	if (between) {
		const low = parseNumber(between[1]!, style);
		const high = parseNumber(between[2]!, style);
		if (low !== undefined && high !== undefined && low <= high) {
			return { range: { low, high, text: between[0] }, length: between[0].length };
		}
	}
	const oneSided = ONE_SIDED.exec(text);
	if (oneSided) {
		const limit = parseNumber(oneSided[2]!, style);
		if (limit === undefined) return undefined;
		const upper = /^(<|≤|<=|up to|less than)$/i.test(oneSided[1]!);
		const range = upper ? { high: limit, text: oneSided[0] } : { low: limit, text: oneSided[0] };
		return { range, length: oneSided[0].length };
	}
	return undefined;
}

// A reference range at the start of `text`: "3.5-5.3", "3,5 - 5,3", "<200", "> 60", "up to 40",
// and in brackets "(3.5 - 5.3)", "[3.5-5.3 mmol/L]", "(Negative)". A unit inside the brackets
// is handed back for the caller to check.
export function parseRange(text: string, style: NumberStyle): ParsedRange | undefined {
	const bracketed = BRACKETED.exec(text);
	if (bracketed) {
		const inner = bracketed[1]!.trim();
		const found = limits(inner, style);
		if (found) {
			const rest = inner.slice(found.length).trim();
			if (rest.length > 0 && /\s/.test(rest)) return undefined;
			return {
				range: found.range,
				length: bracketed[0].length,
				...(rest.length > 0 ? { unit: rest } : {})
			};
		}
		const qualitative = QUALITATIVE.exec(inner);
		if (qualitative && qualitative[0].length === inner.length) {
			return { range: { text: inner }, length: bracketed[0].length };
		}
		return undefined;
	}
	return limits(text, style);
}
