import type { Page } from '@playwright/test';
import { sse, startModelStandIn } from '../helpers/model-stand-in.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';
import { createAccount, PASSWORD } from './account.ts';
import { test as base, expect } from './fixtures.ts';
import { dumpIndexedDb } from './indexeddb.ts';

// Analyse (issue 5) against a real server configured with AI_PROVIDER=openai, whose OpenAI API is
// a local stand-in: the consent toggle names OpenAI, the local summary runs without consent, and
// with consent the stand-in's streamed answer appears piece by piece.
type StandIn = Awaited<ReturnType<typeof startModelStandIn>>;
const test = base.extend<object, { standIn: StandIn; server: ServerProcess }>({
	standIn: [
		// eslint-disable-next-line no-empty-pattern
		async ({}, use) => {
			const standIn = await startModelStandIn();
			await use(standIn);
			await standIn.close();
		},
		{ scope: 'worker' }
	],
	server: [
		async ({ standIn }, use) => {
			const server = await startServer({
				AI_PROVIDER: 'openai',
				OPENAI_API_KEY: 'sk-e2e-not-a-key',
				OPENAI_BASE_URL: `${standIn.origin}/v1`,
				OPENAI_MODEL: 'gpt-e2e',
				AI_MAX_RETRIES: '0'
			});
			await use(server);
			await server.stop();
		},
		{ scope: 'worker' }
	]
});

const FAMILY = 'Analysova';

async function patientWithRecords(page: Page) {
	await createAccount(page, `analysis-${Date.now()}@example.org`);
	await page.getByRole('link', { name: 'New patient' }).click();
	await page.getByLabel('Given names').fill('Ada');
	await page.getByLabel('Family name').fill(FAMILY);
	await page.getByLabel('Date of birth').fill('1970-01-02');
	await page.getByRole('button', { name: 'Save patient' }).click();
	await expect(page.getByRole('heading', { name: `Ada ${FAMILY}` })).toBeVisible();

	for (const [value, flag] of [
		['9.1', 'L'],
		['13.2', '']
	] as const) {
		await page.getByRole('link', { name: 'Add lab result or vital sign' }).click();
		await page.getByLabel('Test').fill('Haemoglobin');
		await page.getByLabel('LOINC code').fill('718-7');
		await page.getByLabel('Result').fill(value);
		await page.getByLabel('Unit').fill('g/dL');
		if (flag) await page.getByLabel('Flag').selectOption(flag);
		await page.getByRole('button', { name: 'Save' }).click();
		await expect(page.getByRole('cell', { name: `${value} g/dL` })).toBeVisible();
	}
	await page.getByRole('link', { name: 'Add condition' }).click();
	await page.getByLabel('Condition').fill('Asthma');
	await page.getByRole('button', { name: 'Save' }).click();
	await page.getByRole('link', { name: 'Add allergy or intolerance' }).click();
	await page.getByLabel('Substance').fill('Penicillin');
	await page.getByLabel('Reaction', { exact: true }).fill('Hives');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByTestId('record')).toHaveCount(4);
	await page.getByRole('link', { name: 'Analyse' }).click();
	await expect(page.getByRole('heading', { name: 'Analyse records' })).toBeVisible();
}

test('chooses records, streams a summary as it is written, and keeps it as a record after reload', async ({
	page,
	standIn
}) => {
	test.setTimeout(120_000);
	await patientWithRecords(page);

	// Minimum necessary: the two lab results and the allergy, not the condition.
	await expect(page.getByTestId('selection-count')).toHaveText(
		/^3 of 4 records chosen\. They will be processed by Charta’s local summary/
	);
	await expect(page.getByRole('checkbox', { name: /Asthma/ })).not.toBeChecked();
	await page.getByRole('checkbox', { name: /Penicillin/ }).uncheck();
	await expect(page.getByTestId('selection-count')).toHaveText(/^2 of 4 records chosen/);

	// Consent, in plain words, names the company and what it receives.
	const consent = page.getByTestId('ai-consent');
	await expect(consent).toContainText(
		'the records you choose for an analysis are sent, decrypted, to OpenAI (model gpt-e2e)'
	);
	await consent.getByRole('checkbox', { name: /Send this patient’s data to OpenAI/ }).check();
	await expect(page.getByTestId('consent-given')).toBeVisible();
	await expect(page.getByTestId('selection-count')).toHaveText(/processed by OpenAI \(gpt-e2e\)/);

	// The model writes slowly: the first words are on the page before the last are sent.
	let release = () => {};
	const held = new Promise<void>((resolve) => (release = resolve));
	const chunk = (content: string | null, finish: string | null = null) =>
		JSON.stringify({
			id: 'c',
			object: 'chat.completion.chunk',
			created: 1,
			model: 'gpt-e2e',
			choices: [{ index: 0, delta: content ? { content } : {}, finish_reason: finish }]
		});
	standIn.reply(async (request, response) => {
		await sse([chunk('Haemoglobin was low in the first result ')], { hold: true })(
			request,
			response
		);
		await held;
		response.write(`data: ${chunk('and normal in the second.')}\n\n`);
		response.write(`data: ${chunk(null, 'stop')}\n\ndata: [DONE]\n\n`);
		response.end();
	});
	await page.getByRole('button', { name: 'Analyse', exact: true }).click();
	const analysis = page.getByTestId('analysis').first();
	await expect(analysis.getByTestId('analysis-text')).toHaveText(
		'Haemoglobin was low in the first result'
	);
	await expect(analysis.getByTestId('analysis-state')).toHaveText('Writing…');
	// What went to the model: the two chosen records, decrypted, and nothing else.
	const sent = standIn.requests.at(-1)!.body;
	expect(sent).toContain('Haemoglobin');
	expect(sent).not.toContain('Penicillin');
	expect(sent).not.toContain('Asthma');
	release();
	await expect(analysis.getByTestId('analysis-text')).toHaveText(
		'Haemoglobin was low in the first result and normal in the second.'
	);
	await expect(analysis.getByTestId('analysis-state')).toHaveText('Saved');

	await page.reload();
	await page.getByLabel('Master password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Unlock' }).click();
	await page.getByRole('link', { name: new RegExp(FAMILY) }).click();
	await expect(page.getByText('Analysis of 2 records')).toBeVisible();
	await page.getByRole('link', { name: 'Analyse' }).click();
	await page.getByRole('link', { name: 'Open the saved record' }).click();
	await expect(page.getByLabel('Text')).toHaveValue(
		'Haemoglobin was low in the first result and normal in the second.'
	);

	const dump = await dumpIndexedDb(page);
	expect(dump).not.toContain('normal in the second');
});

test('an analysis requested offline waits in the queue, through a reload, and runs when back online', async ({
	page,
	context
}) => {
	test.setTimeout(120_000);
	await patientWithRecords(page);
	// No consent here: the local summary, on Charta's server.
	await context.setOffline(true);
	await page.getByRole('button', { name: 'Analyse', exact: true }).click();
	const analysis = page.getByTestId('analysis').first();
	await expect(analysis.getByTestId('analysis-state')).toHaveText('Queued');
	await expect(analysis).toContainText('Waiting for this device to be back online.');

	await page.reload();
	await page.getByLabel('Master password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Unlock' }).click();
	await page.getByRole('link', { name: new RegExp(FAMILY) }).click();
	await page.getByRole('link', { name: 'Analyse' }).click();
	await expect(analysis.getByTestId('analysis-state')).toHaveText('Queued');

	await context.setOffline(false);
	await expect(analysis.getByTestId('analysis-state')).toHaveText('Saved', { timeout: 20_000 });
	await expect(analysis.getByTestId('analysis-text')).toContainText(
		/Haemoglobin on \d{4}-\d{2}-\d{2} was low \(9\.1 g\/dL\)\./
	);
	await expect(analysis.getByTestId('analysis-text')).toContainText(
		'Allergies on record: Penicillin.'
	);
});
