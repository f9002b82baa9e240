import { InvalidArgumentError } from './errors.ts';

// The envelope stores the key version in 4 bytes.
export const MAX_KEY_VERSION = 0xffff_ffff;

export function assertKeyVersion(version: number): void {
	if (!Number.isInteger(version) || version < 0 || version > MAX_KEY_VERSION) {
		throw new InvalidArgumentError(`Key version must be an integer from 0 to ${MAX_KEY_VERSION}`);
	}
}

// Empty ids would let distinct records share associated data through a caller's bug.
export function assertId(name: string, value: string): void {
	if (typeof value !== 'string' || value.length === 0) {
		throw new InvalidArgumentError(`${name} must be a non-empty string`);
	}
}
