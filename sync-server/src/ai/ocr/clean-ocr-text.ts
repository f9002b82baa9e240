import type { OcrLine, OcrResult } from './ocr-engine.ts';

// tesseract's text, made ready for the lab-report reader: lines as read, with fixes for the
// misreadings the golden photos show (and only those), each safe on text that has no such error.

const LEGIBLE_CONFIDENCE = 60;
const SPECK_CONFIDENCE = 50;

/** Words read with reasonable confidence that look like words or numbers. */
export function legibleWords(result: OcrResult): number {
	return result.lines
		.flatMap((line) => line.words)
		.filter((word) => word.confidence >= LEGIBLE_CONFIDENCE && /[A-Za-z0-9]{2,}/.test(word.text))
		.length;
}

// Specks of dirt read as punctuation ("©, », a stray quote) sit between a test's name and its
// value and hide the value. Symbols a report uses (* flags, - and < > in ranges) are kept.
function dropSpecks(line: OcrLine): string {
	const specks = new Set(
		line.words
			.filter(
				(word) => word.confidence < SPECK_CONFIDENCE && /^[^\p{L}\p{N}*<>=-]+$/u.test(word.text)
			)
			.map((word) => word.text)
	);
	if (specks.size === 0) return line.text;
	return line.text
		.split(/(\s+)/)
		.map((part) => (specks.has(part) ? ' '.repeat(part.length) : part))
		.join('')
		.replace(/\s+$/, '');
}

const closing: Record<string, string> = { '[': ']', '(': ')' };

const fixes: [RegExp, string | ((match: string, ...groups: string[]) => string)][] = [
	// l and I for 1 in HbA1c, O for 0 in 25-OH and the reverse: the LSTM's usual confusions.
	[/\bHbA[lI|]c\b/g, 'HbA1c'],
	[/\b25-0H\b/g, '25-OH'],
	// The caret of x10^9/L is read as a 7 or lost.
	[/\bx10[7^]?(9|12)\/L\b/g, 'x10^$1/L'],
	// A bracketed range opened with one bracket and closed with another.
	[
		/([[{(])(\s*[<>]?\s*\d[\d.,]*(?:\s*-\s*\d[\d.,]*)?\s*)[)\]}]/g,
		(_, open: string, inner: string) => {
			const start = open === '{' ? '[' : open;
			return `${start}${inner}${closing[start]}`;
		}
	],
	// A speck before a line's first word: "  .Name: …".
	[/^\s*[.,'"`:;|»«©]+(?=\p{L})/u, ''],
	// …or closed with a 1 or 0, told by the decimals: "[3.5 - 5.31" is "[3.5 - 5.3]".
	[
		/\[(\s*(\d+(?:\.(\d+))?)\s*-\s*\d+\.(\d+))(?=\s|$)/g,
		(match, range: string, _low: string, lowDecimals = '', highDecimals: string) =>
			highDecimals.length === lowDecimals.length + 1 && /[10]$/.test(highDecimals)
				? `[${range.slice(0, -1)}]`
				: match
	],
	// Trailing dot glued to a value before a flag: "19.1. *".
	[/(\d\.\d+)\.(?=\s)/g, '$1']
];

function fixMisreadings(text: string): string {
	return fixes.reduce(
		(fixed, [pattern, replacement]) =>
			typeof replacement === 'string'
				? fixed.replace(pattern, replacement)
				: fixed.replace(pattern, replacement),
		text
	);
}

export function cleanOcrText(result: OcrResult): string {
	return result.lines
		.map((line) => fixMisreadings(dropSpecks(line)))
		.filter((line) => line.trim().length > 0)
		.join('\n');
}
