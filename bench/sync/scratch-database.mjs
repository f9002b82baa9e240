// A new, empty PostgreSQL database for one server under test (as tests/helpers/databases.ts makes
// them), on TEST_DATABASE_URL's server; null when that server does not answer.
import postgres from 'postgres';

const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function createScratchDatabase() {
	const name = `charta_bench_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
	const admin = postgres(adminUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
	try {
		await admin.unsafe(`create database ${name}`);
	} catch {
		return null;
	} finally {
		await admin.end({ timeout: 1 });
	}
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		async drop() {
			const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
			await sql.unsafe(`drop database if exists ${name} with (force)`);
			await sql.end({ timeout: 1 });
		}
	};
}
