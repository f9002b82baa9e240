import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { openUserDb, userDbName } from '../db/user-db.ts';
import type { AiInfo } from '../shared/analyses.ts';
import { giveConsent, processingFor, readConsent, withdrawConsent } from './ai-consent.ts';

const USER = 'consent-user';
const PROFILE = '0b7f6c7e-2f8e-4c55-9d0e-3c4f5a6b7c8d';
const OTHER = '9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f';
const openai: AiInfo = {
	cloud: { provider: 'openai', vendor: 'OpenAI', model: 'gpt-4.1-mini', receives: '…' }
};
const gemini: AiInfo = {
	cloud: { provider: 'gemini', vendor: 'Google', model: 'gemini-2.5-flash', receives: '…' }
};

afterEach(async () => {
	await Dexie.delete(userDbName(USER));
});

describe('consent to a cloud AI provider', () => {
	it('sends cloud only for the profile with consent, to the provider it was given for', async () => {
		const db = openUserDb(USER);
		expect(await processingFor(db, PROFILE, { ai: openai })).toBe('local');

		const given = await giveConsent(db, PROFILE, openai.cloud!, 1_700_000_000_000);
		expect(await readConsent(db, PROFILE)).toEqual(given);
		expect(given).toEqual({ provider: 'openai', vendor: 'OpenAI', givenAt: 1_700_000_000_000 });
		expect(await processingFor(db, PROFILE, { ai: openai })).toBe('cloud');
		expect(await processingFor(db, OTHER, { ai: openai })).toBe('local');
		// The server now sends to someone else, or to no one, or cannot be asked.
		expect(await processingFor(db, PROFILE, { ai: gemini })).toBe('local');
		expect(await processingFor(db, PROFILE, { ai: { cloud: null } })).toBe('local');
		expect(await processingFor(db, PROFILE, { ai: null })).toBe('local');
		const offline = (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch;
		expect(await processingFor(db, PROFILE, { fetch: offline })).toBe('local');
		const answers = (async () => Response.json(openai)) as typeof fetch;
		expect(await processingFor(db, PROFILE, { fetch: answers })).toBe('cloud');

		await withdrawConsent(db, PROFILE);
		expect(await readConsent(db, PROFILE)).toBeNull();
		expect(await processingFor(db, PROFILE, { ai: openai })).toBe('local');
		db.close();
	});
});
