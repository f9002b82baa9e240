import type { PageText } from '../provider.ts';
import type { UnitSystem } from './unit-system.ts';

// The date a report's results belong to: collection first, then report, then receipt, then a
// bare "Date:". Dates of birth and print dates are never taken; an unlabelled date is not
// trusted, since on a report it is as likely a birth date as anything.
const LABELS: [RegExp, number][] = [
	[
		/\b(date (?:and time )?(?:of )?(?:collection|collected|sampled|drawn)|collect(?:ed|ion)(?: date| time| on)?|sample (?:date|taken|collected)|specimen (?:date|collected|taken)|sampled|drawn)\b/i,
		1
	],
	[
		/\b(report(?:ed)?(?: date| on)?|date (?:of )?report(?:ed)?|authori[sz]ed(?: on)?|verified|resulted|result date)\b/i,
		2
	],
	[/\b(received(?: date| on)?|date received|registered)\b/i, 3],
	[/\bdate\b/i, 4]
];
const NOT_THIS = /\b(birth|dob|d\.o\.b|born|printed|print date)\b/i;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = String.raw`(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?`;
const DATE_FORMS: {
	pattern: RegExp;
	read: (m: RegExpExecArray, system: UnitSystem) => [number, number, number];
}[] = [
	{ pattern: /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/, read: (m) => [+m[1]!, +m[2]!, +m[3]!] },
	{
		pattern: /\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b/,
		read: (m, system) => {
			const [a, b] = [+m[1]!, +m[2]!];
			const year = fullYear(+m[3]!);
			// 03/15/2024 can only be month-first; 15/03/2024 only day-first; otherwise the
			// report's units tell a US report from the rest.
			if (a > 12) return [year, b, a];
			if (b > 12) return [year, a, b];
			return system === 'conventional' ? [year, a, b] : [year, b, a];
		}
	},
	{
		pattern: new RegExp(
			String.raw`\b(\d{1,2})(?:st|nd|rd|th)?[\s-]+${MONTH}[\s,-]+(\d{4}|\d{2})\b`,
			'i'
		),
		read: (m) => [fullYear(+m[3]!), monthNumber(m[2]!), +m[1]!]
	},
	{
		pattern: new RegExp(String.raw`\b${MONTH}\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`, 'i'),
		read: (m) => [+m[3]!, monthNumber(m[1]!), +m[2]!]
	}
];

function fullYear(year: number): number {
	return year < 100 ? 2000 + year : year;
}

function monthNumber(name: string): number {
	return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

function isoDate([year, month, day]: [number, number, number]): string | undefined {
	const date = new Date(Date.UTC(year, month - 1, day));
	if (year < 1900 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
		return undefined;
	return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function firstDate(text: string, system: UnitSystem): string | undefined {
	let best: { at: number; date: string } | undefined;
	for (const form of DATE_FORMS) {
		const match = form.pattern.exec(text);
		if (!match) continue;
		const date = isoDate(form.read(match, system));
		if (date && (best === undefined || match.index < best.at)) best = { at: match.index, date };
	}
	return best?.date;
}

export function findDocumentDate(pages: PageText[], system: UnitSystem): string | undefined {
	let best: { rank: number; date: string } | undefined;
	for (const page of pages) {
		for (const line of page.text.split('\n')) {
			for (const [label, rank] of LABELS) {
				if (best && best.rank <= rank) break;
				const match = label.exec(line);
				if (!match) continue;
				// The date must follow its label, before the next column's label.
				const after = line.slice(match.index + match[0].length).split(/\s{3,}(?=[A-Za-z])/)[0]!;
				const around = line.slice(
					Math.max(0, match.index - 10),
					match.index + match[0].length + 15
				);
				if (NOT_THIS.test(around)) continue;
				const date = firstDate(after.slice(0, 40), system);
				if (date) best = { rank, date };
			}
		}
	}
	return best?.date;
}
