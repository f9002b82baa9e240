export type PageLine = { text: string; start: number };

// A page's lines with their offsets in the page text, so provenance can point back into it.
export function choosePageLines(text: string): PageLine[] {
	const lines: PageLine[] = [];
	let start = 0;
	for (const part of text.split('\n')) {
		const clean = part.endsWith('\r') ? part.slice(0, -1) : part;
		if (clean.trim().length > 0) lines.push({ text: clean, start });
		start += part.length + 1;
	}
	return lines;
}
