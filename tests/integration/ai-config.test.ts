import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { exportPublicKey, generateUserKeyPair } from '../../src/lib/crypto/key-pair.ts';
import { AiInfo, CreateAnalysisResponse } from '../../src/lib/shared/analyses.ts';
import {
	cloudInfo,
	ConfigError,
	loadConfig,
	providerOptions
} from '../../sync-server/src/config.ts';
import { createClientAccount, derivePasswordKeys, signupBody } from '../helpers/auth-client.ts';
import { ANALYSIS_INPUT, OPENAI_KEY } from '../helpers/cloud-fixtures.ts';
import { sse, startModelStandIn } from '../helpers/model-stand-in.ts';
import { spawnServer, startServer, type ServerProcess } from '../helpers/server-process.ts';
import { readSse } from '../helpers/sse-reader.ts';

// The AI_* settings: validated at start with one line per bad variable (keys never echoed),
// turned into the provider options and GET /v1/ai's account of who receives what; and a server
// started with AI_PROVIDER=openai, whose running analysis ends with the stream at SIGTERM.

function configError(env: Record<string, string>): string[] {
	try {
		loadConfig(env);
	} catch (error) {
		if (error instanceof ConfigError) return error.lines;
		throw error;
	}
	throw new Error('loadConfig accepted the environment');
}

describe('AI configuration', () => {
	it('defaults to the local provider only, with no cloud provider to describe', () => {
		const config = loadConfig({});
		expect(config.AI_PROVIDER).toBe('local');
		expect(providerOptions(config)).toEqual({ provider: 'local' });
		expect(cloudInfo(config)).toBeNull();
	});

	it('builds the openai and gemini options from the environment', () => {
		const openai = loadConfig({
			AI_PROVIDER: 'openai',
			OPENAI_API_KEY: OPENAI_KEY,
			OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
			OPENAI_MODEL: 'gpt-test',
			AI_TIMEOUT_MS: '5000',
			AI_MAX_RETRIES: '0'
		});
		expect(providerOptions(openai)).toEqual({
			provider: 'openai',
			openai: {
				apiKey: OPENAI_KEY,
				baseUrl: 'http://127.0.0.1:9/v1',
				models: { extract: 'gpt-test', analyse: 'gpt-test' },
				timeoutMs: 5000,
				maxRetries: 0
			}
		});
		expect(cloudInfo(openai)).toMatchObject({
			provider: 'openai',
			vendor: 'OpenAI',
			model: 'gpt-test'
		});

		const gemini = loadConfig({ AI_PROVIDER: 'gemini', GEMINI_API_KEY: 'AIza-x' });
		expect(providerOptions(gemini)).toEqual({
			provider: 'gemini',
			gemini: { apiKey: 'AIza-x', timeoutMs: 120_000, maxRetries: 2 }
		});
		expect(cloudInfo(gemini)?.vendor).toMatch(/Google/);
		expect(cloudInfo(gemini)?.receives).toMatch(/decrypted/);
	});

	it('names each bad AI setting in one line and never echoes a key', () => {
		expect(configError({ AI_PROVIDER: 'claude' })).toEqual([
			'Invalid AI_PROVIDER (got "claude"): must be local, openai or gemini'
		]);
		expect(configError({ AI_PROVIDER: 'openai' })).toEqual([
			'Invalid OPENAI_API_KEY: is required when AI_PROVIDER=openai'
		]);
		expect(configError({ AI_PROVIDER: 'gemini', GEMINI_API_KEY: '   ' })).toEqual([
			'Invalid GEMINI_API_KEY: is required when AI_PROVIDER=gemini'
		]);
		const lines = configError({
			AI_PROVIDER: 'openai',
			OPENAI_API_KEY: OPENAI_KEY,
			OPENAI_BASE_URL: 'ftp://example.org',
			OPENAI_MODEL: 'gpt 4',
			AI_TIMEOUT_MS: '10',
			AI_MAX_RETRIES: '-1'
		});
		expect(lines).toHaveLength(4);
		expect(lines.join('\n')).toMatch(/Invalid OPENAI_BASE_URL .*must be an http/);
		expect(lines.join('\n')).toMatch(/Invalid OPENAI_MODEL/);
		expect(lines.join('\n')).toMatch(/Invalid AI_TIMEOUT_MS .*at least 1000/);
		expect(lines.join('\n')).toMatch(/Invalid AI_MAX_RETRIES/);
		expect(lines.join('\n')).not.toContain(OPENAI_KEY);
	});
});

describe('a server with AI_PROVIDER=openai', () => {
	let server: ServerProcess | undefined;
	let standIn: Awaited<ReturnType<typeof startModelStandIn>> | undefined;
	afterEach(async () => {
		await server?.stop();
		await standIn?.close();
	});

	it('stops at start with one line when the key is missing', async () => {
		const spawned = spawnServer({ AI_PROVIDER: 'openai' });
		expect(await spawned.exited).not.toBe(0);
		expect(spawned.output().stderr.trim()).toBe(
			'charta: Invalid OPENAI_API_KEY: is required when AI_PROVIDER=openai'
		);
	});

	it('names the provider on GET /v1/ai, and at SIGTERM ends a running analysis and exits 0', async () => {
		standIn = await startModelStandIn();
		server = await startServer({
			LOG_LEVEL: 'info',
			AI_PROVIDER: 'openai',
			OPENAI_API_KEY: OPENAI_KEY,
			OPENAI_BASE_URL: `${standIn.origin}/v1`,
			OPENAI_MODEL: 'gpt-test-analyse',
			AI_MAX_RETRIES: '0'
		});
		const keys = await createClientAccount(await derivePasswordKeys('ai config'));
		const api = (path: string) => new URL(path, server!.url).toString();
		const signedUp = await fetch(api('/v1/auth/signup'), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(signupBody(keys, `ai-config-${randomUUID().slice(0, 8)}@x.org`))
		});
		expect(signedUp.status).toBe(201);
		const cookie = signedUp.headers.getSetCookie()[0]!.split(';', 1)[0]!;

		const info = AiInfo.parse(await (await fetch(api('/v1/ai'), { headers: { cookie } })).json());
		expect(info.cloud).toMatchObject({
			provider: 'openai',
			vendor: 'OpenAI',
			model: 'gpt-test-analyse'
		});

		// The model starts writing and then holds the stream open.
		const chunk = JSON.stringify({
			id: 'c',
			object: 'chat.completion.chunk',
			created: 1,
			model: 'gpt-test-analyse',
			choices: [{ index: 0, delta: { content: 'Haemoglobin ' }, finish_reason: null }]
		});
		standIn.reply(sse([chunk], { hold: true }));
		const pair = await generateUserKeyPair();
		const started = await fetch(api('/v1/analyses'), {
			method: 'POST',
			headers: { cookie, 'content-type': 'application/json' },
			body: JSON.stringify({
				publicKey: await exportPublicKey(pair.publicKey, 'jwk'),
				processing: 'cloud',
				records: ANALYSIS_INPUT.records
			})
		});
		expect(started.status).toBe(202);
		const { analysisId } = CreateAnalysisResponse.parse(await started.json());
		const events = await fetch(api(`/v1/analyses/${analysisId}/events`), { headers: { cookie } });
		const stream = readSse(events.body!);
		await stream.next((frame) => frame.event === 'delta');
		const modelRequest = standIn.requests.at(-1)!;

		server.child.kill('SIGTERM');
		await stream.ended(10_000);
		expect(await server.exited).toBe(0);
		// The call to the model was aborted too.
		await modelRequest.closed;
		server = undefined;
	});
});
