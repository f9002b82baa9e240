// Numbers as reports print them: "4.5", "4,5" (decimal comma), "150,000" and "1.234,5".
export type NumberStyle = { decimalComma: boolean };

export const NUMBER = String.raw`-?\d+(?:[.,]\d+)*`;

export function parseNumber(text: string, { decimalComma }: NumberStyle): number | undefined {
	if (!new RegExp(`^${NUMBER}$`).test(text)) return undefined;
	const lastDot = text.lastIndexOf('.');
	const lastComma = text.lastIndexOf(',');
	let plain: string;
	if (lastDot >= 0 && lastComma >= 0) {
		// Both: the last one is the decimal mark.
		plain =
			lastComma > lastDot ? text.replace(/\./g, '').replace(',', '.') : text.replace(/,/g, '');
	} else if (lastComma >= 0) {
		const thousands = /^-?\d{1,3}(?:,\d{3})+$/.test(text);
		if (thousands && !decimalComma) plain = text.replace(/,/g, '');
		else if ((text.match(/,/g) ?? []).length === 1) plain = text.replace(',', '.');
		else return undefined;
	} else if ((text.match(/\./g) ?? []).length > 1) {
		if (!decimalComma || !/^-?\d{1,3}(?:\.\d{3})+$/.test(text)) return undefined;
		plain = text.replace(/\./g, '');
	} else {
		plain = text;
	}
	const value = Number(plain);
	return Number.isFinite(value) ? value : undefined;
}

// A report writes decimals one way throughout; count both marks between digits to tell which.
export function detectNumberStyle(text: string): NumberStyle {
	const commas = text.match(/(?<![\d,.])\d{1,4},\d{1,2}(?![\d,])/g)?.length ?? 0;
	const dots = text.match(/(?<![\d,.])\d{1,4}\.\d{1,2}(?![\d.])/g)?.length ?? 0;
	return { decimalComma: commas > dots };
}
