import type { PageText } from '../provider.ts';

// The patient's name as the report prints it, from a "Patient:" / "Name:" label, or from
// "Surname" and "Forename(s)" labels put together as "Forename SURNAME".
const FULL_NAME =
	/(?:^|\s{2,}|\t)(?:patient(?:'s)? name|patient|pt\.? name|name|re)\s*[:-]\s*(?:(?:mr|mrs|ms|miss|mx|master)\.?\s+)?(.+)$/i;
const SURNAME = /(?:^|\s{2,}|\t)(?:surname|family name|last name)\s*[:-]\s*(.+)$/i;
const FORENAME = /(?:^|\s{2,}|\t)(?:forenames?|first names?|given names?)\s*[:-]\s*(.+)$/i;
// Labels that end a name when the next column follows on the same line.
const NEXT_LABEL =
	/\s{2,}|\t|\b(?:dob|d\.o\.b|date of birth|born|sex|gender|age|nhs|mrn|hospital no|id|ref)\b/i;

function cleanName(text: string): string | undefined {
	const name = text
		.split(NEXT_LABEL)[0]!
		.trim()
		.replace(/[,;]+$/, '');
	if (name.length < 2 || name.length > 100) return undefined;
	if (/\d/.test(name) || !/^[\p{L}][\p{L}' .,-]*$/u.test(name)) return undefined;
	return name;
}

export function findPatientName(pages: PageText[]): string | undefined {
	let surname: string | undefined;
	let forename: string | undefined;
	for (const page of pages) {
		for (const line of page.text.split('\n')) {
			const full = FULL_NAME.exec(line);
			if (full) {
				const name = cleanName(full[1]!);
				if (name) return name;
			}
			const last = SURNAME.exec(line);
			if (last) surname ??= cleanName(last[1]!);
			const first = FORENAME.exec(line);
			if (first) forename ??= cleanName(first[1]!);
		}
	}
	if (surname && forename) return `${forename} ${surname}`;
	return surname ?? forename;
}
