import { z } from 'zod';
import type { UserDb } from '../db/user-db.ts';
import type { JsonClientOptions } from '../http/request-json.ts';
import type { AiInfo, Processing } from '../shared/analyses.ts';
import { fetchAiInfo } from './ai-info.ts';

// Consent to send a profile's data to a cloud AI provider, recorded on this device (the user
// database's settings table, which holds no health data) with when it was given and to whom.
// It is per device: another device asks again. It names the provider, so consent given for
// OpenAI does not carry over if the server is switched to Gemini.
const AiConsent = z.object({
	provider: z.enum(['openai', 'gemini']),
	vendor: z.string(),
	givenAt: z.number()
});
export type AiConsent = z.infer<typeof AiConsent>;

const key = (profileId: string) => `ai-consent.${profileId}`;

export async function readConsent(db: UserDb, profileId: string): Promise<AiConsent | null> {
	const row = await db.settings.get(key(profileId));
	if (typeof row?.value !== 'string') return null;
	try {
		return AiConsent.parse(JSON.parse(row.value));
	} catch {
		return null;
	}
}

export async function giveConsent(
	db: UserDb,
	profileId: string,
	cloud: NonNullable<AiInfo['cloud']>,
	now = Date.now()
): Promise<AiConsent> {
	const consent: AiConsent = { provider: cloud.provider, vendor: cloud.vendor, givenAt: now };
	await db.settings.put({ key: key(profileId), value: JSON.stringify(consent) });
	return consent;
}

export async function withdrawConsent(db: UserDb, profileId: string): Promise<void> {
	await db.settings.delete(key(profileId));
}

/** Whether consent recorded here covers the provider the server has now. */
export function consentCovers(consent: AiConsent | null, ai: AiInfo | null): boolean {
	return consent !== null && ai?.cloud != null && ai.cloud.provider === consent.provider;
}

/**
 * What a request for this profile may ask for: 'cloud' only when consent is recorded for it
 * and the server has that same cloud provider configured; 'local' otherwise, also when the
 * server cannot be asked. Pass `ai` when it is known, to save the request.
 */
export async function processingFor(
	db: UserDb,
	profileId: string,
	{ ai, ...client }: JsonClientOptions & { ai?: AiInfo | null } = {}
): Promise<Processing> {
	const consent = await readConsent(db, profileId);
	if (!consent) return 'local';
	const info = ai !== undefined ? ai : await fetchAiInfo(client).catch(() => null);
	return consentCovers(consent, info) ? 'cloud' : 'local';
}
