const SAME_ROW = 2; // points: items whose baselines differ by less sit on one printed row

export type Placed = { text: string; x: number; y: number; width: number };

// getTextContent gives items in content-stream order; a table row is rebuilt by grouping items
// on one baseline and ordering them left to right. Wide gaps become runs of spaces, so the
// reader can still tell columns apart.
export function pageText(items: Placed[]): string {
	const rows: Placed[][] = [];
	for (const item of [...items].sort((a, b) => b.y - a.y || a.x - b.x)) {
		const row = rows.find((candidate) => Math.abs(candidate[0]!.y - item.y) < SAME_ROW);
		if (row) row.push(item);
		else rows.push([item]);
	}
	return rows
		.map((row) => {
			row.sort((a, b) => a.x - b.x);
			let line = '';
			let end: number | undefined;
			for (const item of row) {
				if (end !== undefined) {
					const charWidth = item.width / Math.max(1, item.text.length) || 5;
					const gap = (item.x - end) / charWidth;
					line +=
						gap < 0.3
							? ''
							: gap < 1.6
								? ' '
								: ' '.repeat(Math.min(8, Math.max(2, Math.round(gap))));
				}
				line += item.text;
				end = item.x + item.width;
			}
			return line;
		})
		.join('\n');
}
