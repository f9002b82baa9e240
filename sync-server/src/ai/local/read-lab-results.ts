import type {
	ExtractedLabResult,
	ExtractedRange,
	ExtractedValue
} from '../../../../src/lib/shared/extraction/extraction.ts';
import { acceptedUnits, type LabTest } from '../../../../src/lib/shared/lab-tests/lab-test.ts';
import type { LabTestIndex } from '../../../../src/lib/shared/lab-tests/lab-test-index.ts';
import { normaliseTestName } from '../../../../src/lib/shared/lab-tests/lab-test-name.ts';
import { LOINC_SYSTEM } from '../../../../src/lib/shared/records/loinc.ts';
import type { PageText } from '../provider.ts';
import { choosePageLines } from './page-lines.ts';
import { FLAG_PATTERN, interpret } from './flag.ts';
import { sameUnit, toUcumUnit } from './map-unit.ts';
import type { NumberStyle } from './parse-number.ts';
import { parseRange } from './parse-range.ts';
import { parseValue } from './parse-value.ts';
import { confidenceOf, type Evidence } from './confidence.ts';
import { isSiUnit, type UnitSystem } from './unit-system.ts';

export type ReadContext = {
	index: LabTestIndex;
	style: NumberStyle;
	unitSystem: UnitSystem;
};

type Token = { text: string; start: number; end: number; gapBefore: number };
type Specimen = 'urine' | 'other';
type NameMatch = { tests: readonly LabTest[]; first: number; last: number };

// A report line that names no test can still say which section follows.
const URINE_SECTION = /\burin|\bmsu\b|dipstick|urinalysis/i;
const BLOOD_SECTION =
	/^\s*bloods?\s*:?\s*$|haematology|hematology|biochemistry|chemistry|blood count|\bfbc\b|\bcbc\b|serum|plasma|lipid|liver|renal|kidney|thyroid|coagulation|clotting|electrolyte|metabolic|immunology|endocrin|haematinics|iron studies/i;
const SPECIMEN_WORDS = new Set(['serum', 'plasma', 'blood', 'urine', 'whole blood']);
const BULLET = /^(?:[-–•·*>]|\d{1,2}[.)]?)$/;
// Words between a name and its value that say nothing about the value.
const FILLER = new Set([
	'calc',
	'calculated',
	'serum',
	'plasma',
	'level',
	'result',
	'conc',
	'total'
]);
const LABEL = /^(ref(erence)?\.?|range:?|ref\.?range:?|normal:?|nr:?|units?:?|flag:?|interval:?)$/i;
const QUALITATIVE_RANGE = /^(negative|not detected|non[- ]?reactive|nil|none seen|normal|clear)$/i;
const DIMENSIONLESS = new Set(['{INR}', '[pH]', '1', '{ratio}']);

function tokenise(line: string): Token[] {
	const tokens: Token[] = [];
	let previousEnd = -1;
	for (const match of line.matchAll(/\S+/g)) {
		const gap = line.slice(previousEnd < 0 ? 0 : previousEnd, match.index);
		tokens.push({
			text: match[0],
			start: match.index,
			end: match.index + match[0].length,
			gapBefore: previousEnd < 0 ? Infinity : gap.includes('\t') ? 4 : gap.length
		});
		previousEnd = match.index + match[0].length;
	}
	return tokens;
}

function matchNameAt(
	line: string,
	tokens: Token[],
	at: number,
	index: LabTestIndex
): NameMatch | undefined {
	const most = Math.min(index.longestSynonymWords, tokens.length - at);
	for (let count = most; count >= 1; count--) {
		const last = at + count - 1;
		// A name never spans a column gap.
		if (tokens.slice(at + 1, last + 1).some((token) => token.gapBefore >= 2)) continue;
		const key = normaliseTestName(line.slice(tokens[at]!.start, tokens[last]!.end));
		const tests = index.bySynonym.get(key);
		if (tests) return { tests, first: at, last };
	}
	return undefined;
}

// Where test names start: the beginning of the line (after a bullet or row number, or a
// specimen word), or after a column gap of two or more spaces.
function findNames(line: string, tokens: Token[], index: LabTestIndex): NameMatch[] {
	const names: NameMatch[] = [];
	let next = 0;
	for (let at = 0; at < tokens.length; at++) {
		if (at < next) continue;
		const token = tokens[at]!;
		const lineStart = at === 0 || (at === 1 && BULLET.test(tokens[0]!.text));
		if (!lineStart && token.gapBefore < 2) continue;
		let match = matchNameAt(line, tokens, at, index);
		if (!match && SPECIMEN_WORDS.has(normaliseTestName(token.text)) && at + 1 < tokens.length) {
			match = matchNameAt(line, tokens, at + 1, index);
			if (match) match = { ...match, first: at };
		}
		if (match) {
			names.push(match);
			next = match.last + 1;
		}
	}
	return names;
}

type Tail = {
	value: ExtractedValue;
	printedUnit?: string;
	unit?: string;
	range?: ExtractedRange;
	flag?: string;
	end: number;
	skipped: number;
};

function skipBeforeValue(text: string): number {
	let at = 0;
	for (;;) {
		const rest = text.slice(at);
		const leader = /^(?:\s+|[:=]+|\.{2,}|…+|-\s)/.exec(rest);
		if (leader) {
			at += leader[0].length;
			continue;
		}
		// An aside such as "(IFCC)", "(calculated)" or "(3 hours)"; a bracketed number alone is not one.
		const aside = /^[([][^()[\]]*[A-Za-z][^()[\]]*[)\]]/.exec(rest);
		if (aside) {
			at += aside[0].length;
			continue;
		}
		const word = /^[A-Za-z]+:?(?=\s|$)/.exec(rest);
		if (word && FILLER.has(word[0].replace(':', '').toLowerCase())) {
			at += word[0].length;
			continue;
		}
		return at;
	}
}

// Everything after a test name up to the next name: the value first (a flag may come before it),
// then range, flag and unit in whatever order the layout prints them.
function readTail(text: string, style: NumberStyle): Tail | undefined {
	let at = skipBeforeValue(text);
	let flag: string | undefined;
	const early = FLAG_PATTERN.exec(text.slice(at));
	if (early && /^(h|l|hh|ll|high|low|\*{1,3})$/i.test(early[1]!)) {
		const after = at + early[0].length;
		const afterSpace = after + (/^\s+/.exec(text.slice(after))?.[0].length ?? 0);
		if (parseValue(text.slice(afterSpace), style)) {
			flag = early[1];
			at = afterSpace;
		}
	}
	const parsed = parseValue(text.slice(at), style);
	if (!parsed) return undefined;
	const tail: Tail = { value: parsed.value, end: at + parsed.length, skipped: 0, flag };
	if (parsed.attachedUnit !== undefined) {
		const unit = toUcumUnit(parsed.attachedUnit);
		if (unit === undefined) return undefined;
		tail.unit = unit;
		tail.printedUnit = parsed.attachedUnit;
	}
	at = tail.end;
	while (at < text.length) {
		const space = /^\s*/.exec(text.slice(at))![0].length;
		const rest = text.slice(at + space);
		if (rest.length === 0) break;
		const token = /^\S+/.exec(rest)![0];
		const range = tail.range === undefined ? parseRange(rest, style) : undefined;
		if (range) {
			const insideUnit = range.unit === undefined ? undefined : toUcumUnit(range.unit);
			if (range.unit === undefined || insideUnit !== undefined) {
				tail.range = range.range;
				if (insideUnit !== undefined && tail.unit === undefined) {
					tail.unit = insideUnit;
					tail.printedUnit = range.unit;
				}
				at += space + range.length;
				tail.end = at;
				continue;
			}
		}
		const flagMatch = tail.flag === undefined ? FLAG_PATTERN.exec(rest) : null;
		if (flagMatch) {
			tail.flag = flagMatch[1];
			at += space + flagMatch[0].length;
			tail.end = at;
			continue;
		}
		if (tail.unit === undefined && tail.value.type === 'quantity') {
			const two = /^\S+\s\S+/.exec(rest)?.[0];
			const twoUnit = two === undefined ? undefined : toUcumUnit(two);
			const oneUnit = toUcumUnit(token);
			if (twoUnit !== undefined) {
				tail.unit = twoUnit;
				tail.printedUnit = two;
				at += space + two!.length;
				tail.end = at;
				continue;
			}
			if (oneUnit !== undefined) {
				tail.unit = oneUnit;
				tail.printedUnit = token;
				at += space + token.length;
				tail.end = at;
				continue;
			}
		}
		if (tail.value.type === 'string' && tail.range === undefined && QUALITATIVE_RANGE.test(token)) {
			tail.range = { text: token };
			at += space + token.length;
			tail.end = at;
			continue;
		}
		if (LABEL.test(token)) {
			at += space + token.length;
			continue;
		}
		// Something we cannot read: a comment, a previous result, a method. Three in a row end it.
		tail.skipped++;
		if (tail.skipped >= 3) break;
		at += space + token.length;
	}
	return tail;
}

type Choice = { test: LabTest; unit?: string; unitSource?: 'report' | 'table'; evidence: Evidence };

function preferredUnit(test: LabTest, system: UnitSystem): string | undefined {
	const units = acceptedUnits(test);
	return units.find((unit) => isSiUnit(unit) === (system === 'si')) ?? units[0];
}

function chooseTest(
	tests: readonly LabTest[],
	tail: Tail,
	specimen: Specimen,
	system: UnitSystem
): Choice {
	const evidence: Evidence = {
		ambiguous: false,
		unit: 'none',
		specimenMismatch: false,
		skipped: tail.skipped
	};
	let pool = tests.filter((test) => (test.specimen === 'urine') === (specimen === 'urine'));
	if (pool.length === 0) {
		pool = [...tests];
		evidence.specimenMismatch = true;
	}
	if (tail.unit !== undefined) {
		const unit = tail.unit;
		const fits = pool.filter((test) => acceptedUnits(test).some((u) => sameUnit(u, unit)));
		if (fits.length > 0) {
			const test = fits[0]!;
			evidence.unit = 'accepted';
			evidence.ambiguous = fits.length > 1;
			return {
				test,
				unit: acceptedUnits(test).find((u) => sameUnit(u, unit)),
				unitSource: 'report',
				evidence
			};
		}
		evidence.unit = 'unexpected';
		evidence.ambiguous = pool.length > 1;
		return { test: pool[0]!, unit, unitSource: 'report', evidence };
	}
	if (tail.value.type === 'string') {
		const ordinal = pool.find((test) => test.scale !== 'Qn');
		evidence.ambiguous = pool.length > 1 && ordinal === undefined;
		return { test: ordinal ?? pool[0]!, evidence };
	}
	// A number without a unit: the report's unit system decides between mass and molar codes,
	// and a percentage reads as one by its size.
	const value = tail.value.value;
	const high = tail.range?.high;
	const looksLikePercent = value > 25 || (high !== undefined && high > 25);
	const ranked = [...pool].sort((a, b) => score(b) - score(a));
	function score(test: LabTest): number {
		const units = acceptedUnits(test);
		let points = units.some((unit) => isSiUnit(unit) === (system === 'si')) ? 1 : 0;
		if (units.includes('%')) points += looksLikePercent ? 2 : -2;
		return points;
	}
	const test = ranked[0]!;
	const unit = preferredUnit(test, system);
	evidence.ambiguous = pool.length > 1;
	evidence.unit = unit !== undefined && DIMENSIONLESS.has(unit) ? 'dimensionless' : 'inferred';
	return { test, ...(unit ? { unit, unitSource: 'table' as const } : {}), evidence };
}

export function readLabResults(pages: PageText[], context: ReadContext): ExtractedLabResult[] {
	const results: ExtractedLabResult[] = [];
	let section: Specimen = 'other';
	for (const page of pages) {
		for (const line of choosePageLines(page.text)) {
			const tokens = tokenise(line.text);
			const names = findNames(line.text, tokens, context.index);
			const lineResults: ExtractedLabResult[] = [];
			for (let i = 0; i < names.length; i++) {
				const name = names[i]!;
				const nameStart = tokens[name.first]!.start;
				const nameEnd = tokens[name.last]!.end;
				const tailEnd = names[i + 1] ? tokens[names[i + 1]!.first]!.start : line.text.length;
				const tail = readTail(line.text.slice(nameEnd, tailEnd), context.style);
				if (!tail) continue;
				const printedName = line.text.slice(nameStart, nameEnd);
				const specimen: Specimen = /^urine\b/i.test(printedName) ? 'urine' : section;
				const choice = chooseTest(name.tests, tail, specimen, context.unitSystem);
				const value: ExtractedValue =
					tail.value.type === 'quantity'
						? {
								...tail.value,
								...(choice.unit ? { unit: choice.unit, unitSource: choice.unitSource } : {})
							}
						: tail.value;
				const start = line.start + nameStart;
				const end = line.start + nameEnd + tail.end;
				lineResults.push({
					code: { system: LOINC_SYSTEM, code: choice.test.loinc, display: choice.test.display },
					label: printedName.replace(/[\s:=.]+$/, ''),
					value,
					...(tail.range ? { referenceRange: tail.range } : {}),
					...interpret(value, tail.range, tail.flag),
					provenance: {
						page: page.page,
						start,
						end,
						snippet: page.text.slice(start, end).slice(0, 500)
					},
					confidence: confidenceOf(choice.evidence)
				});
			}
			results.push(...lineResults);
			if (lineResults.length === 0) {
				if (URINE_SECTION.test(line.text)) section = 'urine';
				else if (BLOOD_SECTION.test(line.text)) section = 'other';
			}
		}
	}
	return results;
}
