import { createCanvas, loadImage, type Canvas, type Image } from '@napi-rs/canvas';
import { DocumentError } from '../document-error.ts';
import { decodeToPng, OcrTimeout, type CallOptions } from './ocr-engine.ts';

// A photo made ready for tesseract: decoded, scaled so printed text is a size the LSTM model
// reads well, and turned upright by whole quarter turns. Tesseract's own binarisation copes
// with grey, uneven light; dividing the light out here first made the noisy photo read worse.

const LONG_SIDE = { min: 1600, max: 2600 }; // pixels: an A4 page at roughly 150–250 dpi

export type Quarter = 0 | 1 | 2 | 3;

// Larger pictures are refused rather than decoded into gigabytes (a 100-megapixel photo is
// already far more than a page needs).
const MAX_PIXELS = 100_000_000;

/** Pixels of an uploaded picture, decoded safely (see decodeToPng). */
export async function decodeImage(bytes: Uint8Array, options?: CallOptions): Promise<Image> {
	let png: Buffer;
	try {
		png = await decodeToPng(bytes, options);
	} catch (error) {
		if (error instanceof OcrTimeout || options?.signal?.aborted) throw error;
		throw new DocumentError('unsupported-input', 'The picture is damaged and cannot be read', {
			cause: error
		});
	}
	const image = await loadImage(png);
	if (image.width * image.height > MAX_PIXELS) {
		throw new DocumentError('unsupported-input', 'The picture is too large to read');
	}
	return image;
}

function scaleFor(width: number, height: number): number {
	const long = Math.max(width, height);
	if (long < LONG_SIDE.min) return Math.min(2, LONG_SIDE.min / long);
	if (long > LONG_SIDE.max) return LONG_SIDE.max / long;
	return 1;
}

/** The picture turned clockwise by `quarter` quarter turns and scaled for reading. */
export function upright(source: Image | Canvas, quarter: Quarter): Canvas {
	const scale = scaleFor(source.width, source.height);
	const width = Math.round(source.width * scale);
	const height = Math.round(source.height * scale);
	const sideways = quarter % 2 === 1;
	const canvas = createCanvas(sideways ? height : width, sideways ? width : height);
	const ctx = canvas.getContext('2d');
	ctx.translate(canvas.width / 2, canvas.height / 2);
	ctx.rotate((quarter * Math.PI) / 2);
	ctx.drawImage(source, -width / 2, -height / 2, width, height);
	return canvas;
}

function greyOf(source: Image | Canvas, width: number, height: number): Float32Array {
	const small = createCanvas(width, height);
	small.getContext('2d').drawImage(source, 0, 0, width, height);
	const data = small.getContext('2d').getImageData(0, 0, width, height).data;
	const grey = new Float32Array(width * height);
	for (let p = 0; p < grey.length; p++) {
		grey[p] = 0.299 * data[p * 4]! + 0.587 * data[p * 4 + 1]! + 0.114 * data[p * 4 + 2]!;
	}
	return grey;
}

// Mean length of the ink runs along one direction, small gaps bridged (the space between two
// letters of a word) and each run capped, so a page edge or a rule counts as much as a word.
function meanRun(ink: Uint8Array, width: number, height: number, across: boolean): number {
	const GAP = 2;
	const CAP = 40;
	const outer = across ? height : width;
	const inner = across ? width : height;
	let total = 0;
	let runs = 0;
	for (let o = 0; o < outer; o++) {
		let start = -1;
		let lastInk = -1;
		for (let i = 0; i <= inner; i++) {
			const on = i < inner && ink[across ? o * width + i : i * width + o] === 1;
			if (on) {
				if (start < 0 || i - lastInk > GAP + 1) {
					if (start >= 0) {
						total += Math.min(CAP, lastInk - start + 1);
						runs++;
					}
					start = i;
				}
				lastInk = i;
			} else if (i === inner && start >= 0) {
				total += Math.min(CAP, lastInk - start + 1);
				runs++;
			}
		}
	}
	return total / Math.max(1, runs);
}

/**
 * Whether the text lines run down the picture (it was taken sideways): along a printed line the
 * letters of a word join into long runs of ink, while across it a run is only a letter high.
 * Ink is a pixel well darker than the paper around it, so the paper's shading does not count.
 */
export function textRunsDown(source: Image | Canvas): boolean {
	const width = 600;
	const height = Math.max(1, Math.round((source.height * width) / source.width));
	const grey = greyOf(source, width, height);
	const block = 24;
	const coarseWidth = Math.max(1, Math.round(width / block));
	const coarseHeight = Math.max(1, Math.round(height / block));
	const paper = greyOf(source, coarseWidth, coarseHeight);
	const ink = new Uint8Array(width * height);
	for (let y = 0; y < height; y++) {
		const coarseRow = Math.min(coarseHeight - 1, Math.floor((y * coarseHeight) / height));
		for (let x = 0; x < width; x++) {
			const coarseColumn = Math.min(coarseWidth - 1, Math.floor((x * coarseWidth) / width));
			if (grey[y * width + x]! < paper[coarseRow * coarseWidth + coarseColumn]! * 0.75) {
				ink[y * width + x] = 1;
			}
		}
	}
	return meanRun(ink, width, height, false) > meanRun(ink, width, height, true);
}

export function encodePng(canvas: Canvas): Promise<Buffer> {
	return canvas.encode('png');
}
