import PDFDocument from 'pdfkit';

// Text PDFs for the extraction tests, written by a real PDF library (pdfkit) rather than by hand.
// Each page is plain text; runs of two or more spaces separate cells, and each cell is placed
// at its character column, so tables keep their columns the way a lab system's PDF does.
export type TextPdfOptions = {
	pages: string[];
	fontSize?: number;
	// pdfkit's RC4/AES encryption: opening the PDF then needs this password.
	userPassword?: string;
	// Pages drawn as shapes only, like a scan: no text layer at all.
	imageOnlyPages?: number[];
};

export function textPdf({
	pages,
	fontSize = 8,
	userPassword,
	imageOnlyPages = []
}: TextPdfOptions): Promise<Uint8Array> {
	return new Promise((resolve, reject) => {
		const doc = new PDFDocument({
			size: 'A4',
			margin: 0,
			autoFirstPage: false,
			...(userPassword ? { userPassword, ownerPassword: `${userPassword}-owner` } : {})
		});
		const chunks: Buffer[] = [];
		doc.on('data', (chunk: Buffer) => chunks.push(chunk));
		doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
		doc.on('error', reject);
		const column = fontSize * 0.6;
		pages.forEach((text, index) => {
			doc.addPage();
			if (imageOnlyPages.includes(index + 1)) {
				// Grey bars where lines of text would be, as a scanned page looks to pdf.js.
				text.split('\n').forEach((line, row) => {
					if (line.trim())
						doc.rect(30, 40 + row * fontSize * 1.5, line.length * column, fontSize).fill('#555');
				});
				return;
			}
			doc.font('Helvetica').fontSize(fontSize);
			text.split('\n').forEach((line, row) => {
				for (const cell of line.matchAll(/\S+(?: \S+)*/g)) {
					doc.text(cell[0], 30 + cell.index * column, 40 + row * fontSize * 1.5, {
						lineBreak: false
					});
				}
			});
		});
		doc.end();
	});
}
