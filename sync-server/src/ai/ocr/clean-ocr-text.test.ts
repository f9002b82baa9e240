import { describe, expect, it } from 'vitest';
import { cleanOcrText, legibleWords } from './clean-ocr-text.ts';
import type { OcrResult } from './ocr-engine.ts';

// Lines as tesseract reads them: every word at the given confidence unless listed in `low`.
function ocr(lines: string[], { confidence = 90, low = [] as string[] } = {}): OcrResult {
	return {
		text: lines.join('\n'),
		confidence,
		lines: lines.map((text) => ({
			text,
			confidence,
			words: text
				.split(/\s+/)
				.filter(Boolean)
				.map((word) => ({ text: word, confidence: low.includes(word) ? 20 : confidence }))
		}))
	};
}

describe('cleanOcrText', () => {
	it('keeps clean lines as they are, columns and flag stars included', () => {
		const lines = [
			'TSH                    7.84 *     mU/L       0.27 - 4.20',
			'Sodium                   133    L    mmol/L        (133 - 146)',
			'Ammonia                 112      H     umol/L     <50'
		];
		expect(cleanOcrText(ocr(lines))).toBe(lines.join('\n'));
	});

	it('blanks out specks read as punctuation with low confidence, not the report’s symbols', () => {
		const line = 'HbA1c (IFCC)          "© 62 mmol/mol    [20 - 41]    H';
		expect(cleanOcrText(ocr([line], { low: ['"©'] }))).toBe(
			'HbA1c (IFCC)             62 mmol/mol    [20 - 41]    H'
		);
		// The same word read confidently is left alone, and so is a doubtful star or dash.
		expect(cleanOcrText(ocr([line]))).toBe(line);
		expect(cleanOcrText(ocr(['Ferritin  9 *  ug/L  13 - 150'], { low: ['*', '-'] }))).toBe(
			'Ferritin  9 *  ug/L  13 - 150'
		);
	});

	it('fixes the misreadings seen in photos', () => {
		expect(
			cleanOcrText(
				ocr([
					'HbAlc: 41 mmol/mol (20 - 41)',
					'25-0H Vitamin D  28 *  nmol/L',
					'White cell count  11.8  H  x1079/L  (4.0 - 11.0)',
					'Red cell count  3.92  x10712/L',
					'Glucose (fasting)  8.9 mmol/L  {3.0 - 6.0)  H',
					'Creatinine  118 umol/L  [59 - 104)  H',
					'Potassium  4.4 mmol/L  [3.5 - 5.31',
					'Free T4  10.1. *  pmol/L',
					'  .Name: WILLIAMS, Gareth'
				])
			).split('\n')
		).toEqual([
			'HbA1c: 41 mmol/mol (20 - 41)',
			'25-OH Vitamin D  28 *  nmol/L',
			'White cell count  11.8  H  x10^9/L  (4.0 - 11.0)',
			'Red cell count  3.92  x10^12/L',
			'Glucose (fasting)  8.9 mmol/L  [3.0 - 6.0]  H',
			'Creatinine  118 umol/L  [59 - 104]  H',
			'Potassium  4.4 mmol/L  [3.5 - 5.3]',
			'Free T4  10.1 *  pmol/L',
			'Name: WILLIAMS, Gareth'
		]);
	});

	it('leaves an unclosed range alone unless its decimals show the bracket read as 1 or 0', () => {
		expect(cleanOcrText(ocr(['Sodium  139 mmol/L  [133 - 141']))).toBe(
			'Sodium  139 mmol/L  [133 - 141'
		);
		expect(cleanOcrText(ocr(['Urea  5.1  [2.5 - 7.81']))).toBe('Urea  5.1  [2.5 - 7.8]');
		expect(cleanOcrText(ocr(['Potassium  4.4  [3.5 - 5.30']))).toBe('Potassium  4.4  [3.5 - 5.3]');
		expect(cleanOcrText(ocr(['Urea  5.1  [2.5 - 7.81]']))).toBe('Urea  5.1  [2.5 - 7.81]');
	});
});

describe('legibleWords', () => {
	it('counts confident words of two or more letters or digits, not specks', () => {
		expect(legibleWords(ocr(['Sodium 140 mmol/L'], { confidence: 85 }))).toBe(3);
		expect(legibleWords(ocr(['Sodium 140 mmol/L'], { confidence: 30 }))).toBe(0);
		expect(legibleWords(ocr(['. , : ~ | i'], { confidence: 90 }))).toBe(0);
	});
});
