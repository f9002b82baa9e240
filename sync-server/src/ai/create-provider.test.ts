import { describe, expect, it } from 'vitest';
import { createProvider } from './create-provider.ts';

describe('createProvider', () => {
	it('builds the provider the configuration names', () => {
		expect(createProvider({ provider: 'local' }).name).toBe('local');
		expect(createProvider({ provider: 'openai', openai: { apiKey: 'sk-test' } }).name).toBe(
			'openai'
		);
		expect(createProvider({ provider: 'gemini', gemini: { apiKey: 'AIza-test' } }).name).toBe(
			'gemini'
		);
	});

	it('refuses a cloud provider without an API key', () => {
		expect(() => createProvider({ provider: 'openai', openai: { apiKey: ' ' } })).toThrow(
			/needs an API key/
		);
		expect(() => createProvider({ provider: 'gemini', gemini: { apiKey: '' } })).toThrow(
			/needs an API key/
		);
	});
});
