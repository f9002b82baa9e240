// Master password rules. Length is what resists guessing (NIST SP 800-63B §5.1.1.2); the keys on a
// lost device are guarded by Argon2id, but a short password still falls to an offline search.
export const MIN_PASSWORD_LENGTH = 10;

export function checkNewPassword(password: string, repeated: string): Record<string, string> {
	const errors: Record<string, string> = {};
	if (password.length < MIN_PASSWORD_LENGTH) {
		errors.password = `Use at least ${MIN_PASSWORD_LENGTH} characters — a few unrelated words work well.`;
	}
	if (repeated !== password) errors.repeat = 'The two passwords are not the same.';
	return errors;
}

export function checkEmail(email: string): string | null {
	const trimmed = email.trim();
	if (trimmed === '') return 'Enter your email address.';
	if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed))
		return 'Enter an email address like name@example.org.';
	return null;
}
