import { openEnvelope, sealEnvelope, type ProfileKey } from '../crypto/index.ts';
import { ImportResult } from '../shared/imports.ts';

// An import's extraction is kept on the device sealed under the profile key, bound to the
// import's id, from the moment the worker reads it off the job's stream until the person has
// reviewed it. The page (review) and the service worker (drain) both use these two functions.
const binding = (profileId: string, importId: string) => ({
	profileId,
	entityId: importId,
	kind: 'import-result'
});

export async function sealImportResult({
	profileKey,
	profileId,
	importId,
	result
}: {
	profileKey: ProfileKey;
	profileId: string;
	importId: string;
	result: ImportResult;
}): Promise<Uint8Array<ArrayBuffer>> {
	const plaintext = new TextEncoder().encode(JSON.stringify(ImportResult.parse(result)));
	try {
		return await sealEnvelope({ profileKey, binding: binding(profileId, importId), plaintext });
	} finally {
		plaintext.fill(0);
	}
}

/** Throws if the envelope was not sealed for this import or does not hold an ImportResult. */
export async function openImportResult({
	profileKey,
	profileId,
	importId,
	sealed
}: {
	profileKey: ProfileKey;
	profileId: string;
	importId: string;
	sealed: Uint8Array;
}): Promise<ImportResult> {
	const plaintext = await openEnvelope({
		profileKey,
		binding: binding(profileId, importId),
		envelope: sealed
	});
	return ImportResult.parse(JSON.parse(new TextDecoder().decode(plaintext)));
}
