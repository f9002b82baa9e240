import { createGeminiProvider, type GeminiProviderOptions } from './gemini/gemini-provider.ts';
import { createLocalProvider } from './local/local-provider.ts';
import { createOpenAiProvider, type OpenAiProviderOptions } from './openai/openai-provider.ts';
import type { Provider } from './provider.ts';

export type ProviderOptions =
	| { provider: 'local' }
	| { provider: 'openai'; openai: OpenAiProviderOptions }
	| { provider: 'gemini'; gemini: GeminiProviderOptions };

function requireKey(name: string, apiKey: string): void {
	if (apiKey.trim().length === 0) throw new Error(`The ${name} provider needs an API key`);
}

// Configuration → one provider. Which profiles may use a cloud provider (recorded consent) is
// the job's decision, not this one's.
export function createProvider(options: ProviderOptions): Provider {
	switch (options.provider) {
		case 'local':
			return createLocalProvider();
		case 'openai':
			requireKey('openai', options.openai.apiKey);
			return createOpenAiProvider(options.openai);
		case 'gemini':
			requireKey('gemini', options.gemini.apiKey);
			return createGeminiProvider(options.gemini);
	}
}
