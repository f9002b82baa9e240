import type { Canvas, Image } from '@napi-rs/canvas';
import { cleanOcrText, legibleWords } from './clean-ocr-text.ts';
import { ocrImage, type OcrResult } from './ocr-engine.ts';
import { decodeImage, encodePng, textRunsDown, upright, type Quarter } from './prepare-image.ts';

export type ImageText = {
	text: string;
	// tesseract's mean word confidence for the page, 0–100.
	confidence: number;
	// Words read with confidence: fewer than a handful means a blank page or noise.
	legible: boolean;
	// Clockwise quarter turns that made the page upright.
	quarter: Quarter;
};

// A reading this confident is taken without trying the page turned another way.
const CONFIDENT = 70;
const MIN_LEGIBLE_WORDS = 3;

export type ReadImageOptions = { timeoutMs?: number; signal?: AbortSignal };

async function readTurned(source: Image | Canvas, quarter: Quarter, options: ReadImageOptions) {
	const png = await encodePng(upright(source, quarter));
	return { quarter, result: await ocrImage(png, options) };
}

/**
 * The text of a photographed or scanned page, in reading order with line breaks. Which way up
 * is decided by tesseract's confidence: the page is read turned only while no reading so far is
 * confident (measured: upright pages read at 85–93, the noisy golden photo at ~70, a page
 * upside down or sideways at 40–50). textRunsDown only picks the order of the turns to try,
 * so a page-sized photo taken sideways is usually read right on the first or second try.
 */
export async function readImageText(
	source: Uint8Array | Canvas,
	options: ReadImageOptions = {}
): Promise<ImageText> {
	const picture = source instanceof Uint8Array ? await decodeImage(source, options) : source;
	const order: Quarter[] = textRunsDown(picture) ? [3, 1, 0, 2] : [0, 2, 3, 1];
	let best: { quarter: Quarter; result: OcrResult } = await readTurned(picture, order[0]!, options);
	// A page with no words at all in any direction (blank paper) is not read again turned.
	const blank = best.result.lines.every((line) => line.words.length === 0);
	for (const quarter of order.slice(1)) {
		if (blank || best.result.confidence >= CONFIDENT) break;
		const other = await readTurned(picture, quarter, options);
		if (other.result.confidence > best.result.confidence) best = other;
	}
	return {
		text: cleanOcrText(best.result),
		confidence: best.result.confidence,
		legible: legibleWords(best.result) >= MIN_LEGIBLE_WORDS,
		quarter: best.quarter
	};
}
