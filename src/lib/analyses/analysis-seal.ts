import { z } from 'zod';
import { openEnvelope, sealEnvelope, type ProfileKey } from '../crypto/index.ts';
import { Processing } from '../shared/analyses.ts';

// An analysis row's contents are sealed under the profile key, each part bound to the row and
// its role, so nothing in the `analyses` table is readable without unlocking and no part can
// stand in for another.

/** What the person asked for: which records (by id, read again when it runs) and where. */
export const AnalysisRequest = z.object({
	recordIds: z.array(z.string()).min(1),
	processing: Processing,
	language: z.string().optional()
});
export type AnalysisRequest = z.infer<typeof AnalysisRequest>;

/** The job's key pair: the private key as PKCS #8 and the public key as a JWK, base64url. */
export const AnalysisJobKey = z.object({
	pkcs8: z.string(),
	publicJwk: z.record(z.string(), z.unknown())
});
export type AnalysisJobKey = z.infer<typeof AnalysisJobKey>;

/** The text received so far and the id of the last event it includes. */
export const AnalysisText = z.object({ text: z.string(), lastEventId: z.number().int().min(0) });
export type AnalysisText = z.infer<typeof AnalysisText>;

const parts = { request: AnalysisRequest, 'job-key': AnalysisJobKey, text: AnalysisText };
type Part = keyof typeof parts;
type PartValue<P extends Part> = z.infer<(typeof parts)[P]>;

const binding = (profileId: string, analysisId: string, part: Part) => ({
	profileId,
	entityId: analysisId,
	kind: `analysis-${part}`
});

export async function sealAnalysisPart<P extends Part>({
	profileKey,
	profileId,
	analysisId,
	part,
	value
}: {
	profileKey: ProfileKey;
	profileId: string;
	analysisId: string;
	part: P;
	value: PartValue<P>;
}): Promise<Uint8Array<ArrayBuffer>> {
	const plaintext = new TextEncoder().encode(JSON.stringify(parts[part].parse(value)));
	try {
		return await sealEnvelope({
			profileKey,
			binding: binding(profileId, analysisId, part),
			plaintext
		});
	} finally {
		plaintext.fill(0);
	}
}

/** Throws if the envelope was not sealed as this part of this analysis. */
export async function openAnalysisPart<P extends Part>({
	profileKey,
	profileId,
	analysisId,
	part,
	sealed
}: {
	profileKey: ProfileKey;
	profileId: string;
	analysisId: string;
	part: P;
	sealed: Uint8Array;
}): Promise<PartValue<P>> {
	const plaintext = await openEnvelope({
		profileKey,
		binding: binding(profileId, analysisId, part),
		envelope: sealed
	});
	return parts[part].parse(JSON.parse(new TextDecoder().decode(plaintext))) as PartValue<P>;
}
