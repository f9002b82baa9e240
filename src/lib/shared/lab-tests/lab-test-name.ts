// How a printed test name is reduced before lookup, so "HAEMOGLOBIN", "Hemoglobin:" and
// "Haemoglobin (Hb)" meet the table's "Hemoglobin" and "Hb". Both the table's synonyms and the
// report's words go through this one function.
const BRITISH_SPELLINGS: [RegExp, string][] = [
	[/haem/g, 'hem'], // haemoglobin, haematocrit
	[/\boe(?=[a-z])/g, 'e'], // oestradiol
	[/([a-z])ae(?=[a-z])/g, '$1e'], // faecal, leukaemia
	[/leuco/g, 'leuko'], // leucocytes
	[/sulph/g, 'sulf'],
	[/colour/g, 'color'],
	[/titre\b/g, 'titer'],
	[/tre\b/g, 'ter'], // litre
	[/ise\b/g, 'ize']
];

// "cells", "Platelets", "RBCs" → singular; "-ss", "-us", "-is" endings are left alone (mass, virus).
function singular(word: string): string {
	return word.length > 3 && word.endsWith('s') && !/(ss|us|is)$/.test(word)
		? word.slice(0, -1)
		: word;
}

export function normaliseTestName(name: string): string {
	let text = name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[µμ]/g, 'u');
	for (const [pattern, replacement] of BRITISH_SPELLINGS) text = text.replace(pattern, replacement);
	return text
		.replace(/([%#+])/g, ' $1 ')
		.replace(/[^a-z0-9%#+]+/g, ' ')
		.trim()
		.split(/\s+/)
		.filter((word) => word.length > 0)
		.map(singular)
		.join(' ');
}
