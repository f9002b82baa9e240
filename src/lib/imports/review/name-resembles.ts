// Whether the name printed on a report could be this patient's. Reports print names many ways
// ("SMITH, Margaret Anne", "Mrs M. Smith", "Margaret Smith-Jones"), so this is lenient: the
// family name's words must all appear, and a given name or its initial, when the profile has
// them. A false "differs" only costs a second look; a missed mismatch files results under the
// wrong patient, which is why the page warns rather than decides.

const words = (text: string) =>
	text
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.split(/[^\p{L}]+/u)
		.filter(Boolean);

const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'master']);

export function nameResembles(
	printed: string,
	name: { given: readonly string[]; family?: string }
): boolean {
	const seen = new Set(words(printed).filter((word) => !TITLES.has(word)));
	const family = words(name.family ?? '');
	const given = name.given.flatMap(words);
	if (family.length === 0 && given.length === 0) return true;
	const familyMatches = family.every((word) => seen.has(word));
	const givenMatches =
		given.length === 0 ||
		given.some((word) => seen.has(word) || seen.has(word[0]!)) ||
		// "Mrs SMITH": a report that prints no given name at all is matched on the family name.
		seen.size === family.length;
	return family.length > 0 ? familyMatches && givenMatches : givenMatches;
}
