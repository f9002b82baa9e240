import type { SessionStatus } from './app-session.svelte.ts';

// Pages anyone may open; everything else shows records and needs the keys in memory.
const PUBLIC = new Set(['/', '/signin', '/signup', '/unlock', '/recover', '/about']);

/** Where to send the person instead, or null when they may stay. */
export function redirectFor(
	pathname: string,
	status: SessionStatus
): '/signin' | '/unlock' | '/profiles' | null {
	if (status === 'unlocked' && pathname === '/unlock') return '/profiles';
	if (status === 'starting' || PUBLIC.has(pathname)) return null;
	if (status === 'signed-out') return '/signin';
	if (status === 'locked') return '/unlock';
	return null;
}
