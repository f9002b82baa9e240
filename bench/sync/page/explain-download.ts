// Where device B's download time goes, step by step as applyChanges runs them, over the very
// pull answers B received in the measured run: parse the JSON, check it against PullResponse
// (requestJson), then for each change in turn decode the base64url ciphertext, open the
// envelope, parse and check the record (openChange), and re-seal it for storage (sealRecord).
// Also timed: encoding the same envelopes to base64url, as device A's push does for each
// mutation. And proposals, changes outside the bench that these steps point to: the browser's
// own base64 (Uint8Array.fromBase64 / toBase64, Chromium 140+), parsing pulled records with the
// vault's StoredRecordJson shortcut (record-envelope.ts) instead of z.json()'s walk, and opening
// a page's envelopes together instead of awaiting each in turn.
import { fromBase64Url, toBase64Url, type ProfileKey } from '../../../src/lib/crypto/index.ts';
import { z } from 'zod';
import {
	StoredConflict,
	StoredField,
	StoredRecord
} from '../../../src/lib/shared/records/index.ts';
import { PullResponse, type Change } from '../../../src/lib/shared/sync.ts';
import { sealRecord } from '../../../src/lib/vault/record-envelope.ts';
import { defaultVaultCrypto as crypto } from '../../../src/lib/vault/vault-crypto.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

// As record-envelope.ts builds it for the vault's own reads (it does not export it).
const JsonValue = z.custom<StoredField['value']>((value) => value !== undefined);
const StoredRecordJson = StoredRecord.extend({
	fields: z.record(StoredConflict.shape.field, StoredField.extend({ value: JsonValue })),
	conflicts: z.array(StoredConflict.extend({ value: JsonValue }))
});

// ES2026 base64 on typed arrays, where the browser has it.
type NativeBase64 = {
	fromBase64?: (text: string, options: { alphabet: 'base64url' }) => Uint8Array;
};
const native = Uint8Array as unknown as NativeBase64;
const toNative = (bytes: Uint8Array) =>
	(bytes as unknown as { toBase64: (options: object) => string }).toBase64({
		alphabet: 'base64url',
		omitPadding: true
	});

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
		opened.value.map((plaintext) => StoredRecord.parse(JSON.parse(utf8.decode(plaintext))))
	);
	const recordsJson = await timed(() =>
		opened.value.map((plaintext) => StoredRecordJson.parse(JSON.parse(utf8.decode(plaintext))))
	);
	const fromNative = native.fromBase64;
	const nativeDecode = fromNative
		? await timed(() =>
				changes.map((change) => fromNative(change.ciphertext, { alphabet: 'base64url' }))
			)
		: undefined;
	const nativeEncode = fromNative
		? await timed(() => decoded.value.map((envelope) => toNative(envelope)))
		: undefined;
	if (nativeEncode && nativeEncode.value.some((text, i) => text !== changes[i]!.ciphertext)) {
		throw new Error('Native base64url differs from the app’s');
	}
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
		sealMs: sealed.ms,
		proposedRecordParseMs: recordsJson.ms,
		proposedBase64DecodeMs: nativeDecode?.ms,
		proposedBase64EncodeMs: nativeEncode?.ms
	};
}
