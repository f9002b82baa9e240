export { fetchAiInfo } from './ai-info.ts';
export {
	readConsent,
	giveConsent,
	withdrawConsent,
	consentCovers,
	processingFor,
	type AiConsent
} from './ai-consent.ts';
