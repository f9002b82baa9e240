// Where device B's download time goes, step by step as applyChanges runs them, over the very
// pull answers B received in the measured run: parse the JSON, check it against PullResponse
// (requestJson), then for each change in turn decode the base64url ciphertext, open the
// envelope, decode and check the record (openChange), and re-seal it for storage (sealRecord).
// Also timed: encoding the same envelopes to base64url, as device A's push does for each
// mutation (both through the browser's own base64 since 2026-11-24). And a proposal, a change
// outside the bench that these steps point to: opening a page's envelopes together instead of
// awaiting each in turn.
import { fromBase64Url, toBase64Url, type ProfileKey } from '../../../src/lib/crypto/index.ts';
import { decodeStoredRecord } from '../../../src/lib/shared/records/index.ts';
import { PullResponse, type Change } from '../../../src/lib/shared/sync.ts';
import { sealRecord } from '../../../src/lib/vault/record-envelope.ts';
import { defaultVaultCrypto as crypto } from '../../../src/lib/vault/vault-crypto.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

async function timed<T>(work: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
	const start = performance.now();
	const value = await work();
	return { value, ms: performance.now() - start };
}

const binding = (change: Change) => ({
	profileId: change.profileId,
	entityId: change.entityId,
	kind: change.kind
});

export async function explainDownload({
	bodies,
	profileKey
}: {
	bodies: ArrayBuffer[];
	profileKey: ProfileKey;
}) {
	const texts = bodies.map((body) => new TextDecoder().decode(body));
	const json = await timed(() => texts.map((text) => JSON.parse(text) as unknown));
	const validated = await timed(() => json.value.map((page) => PullResponse.parse(page)));
	const changes = validated.value.flatMap((page) => page.changes);

	const decoded = await timed(() => changes.map((change) => fromBase64Url(change.ciphertext)));
	const encoded = await timed(() => decoded.value.map((envelope) => toBase64Url(envelope)));
	const opened = await timed(async () => {
		const plaintexts: Uint8Array[] = [];
		for (const [i, change] of changes.entries()) {
			const envelope = decoded.value[i]!;
			plaintexts.push(
				await crypto.openEnvelope({ profileKey, binding: binding(change), envelope })
			);
		}
		return plaintexts;
	});
	const openedTogether = await timed(() =>
		Promise.all(
			changes.map((change, i) =>
				crypto.openEnvelope({
					profileKey,
					binding: binding(change),
					envelope: decoded.value[i]!
				})
			)
		)
	);
	const records = await timed(() =>
		opened.value.map((plaintext) => decodeStoredRecord(utf8.decode(plaintext)))
	);
	const sealed = await timed(async () => {
		for (const [i, doc] of records.value.entries()) {
			const change = changes[i]!;
			const row = { id: change.entityId, profileId: change.profileId, kind: doc.kind };
			await sealRecord({ crypto, profileKey, row, doc });
		}
	});
	return {
		changes: changes.length,
		jsonParseMs: json.ms,
		validateMs: validated.ms,
		base64DecodeMs: decoded.ms,
		base64EncodeMs: encoded.ms,
		openMs: opened.ms,
		openTogetherMs: openedTogether.ms,
		recordParseMs: records.ms,
		sealMs: sealed.ms
	};
}
