export const median = (values) => percentile(values, 50);

/** Nearest-rank percentile (p95 of 40 samples is the 38th smallest). */
export function percentile(values, p) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const round = (value, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

export const sum = (values) => values.reduce((total, value) => total + value, 0);

export const settle = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
