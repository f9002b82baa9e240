// Where the API lives. The service worker never answers these paths from a cache, and the
// server hands them to the API rather than to the page handler.
export function isApiPath(pathname: string): boolean {
	return pathname === '/v1' || pathname.startsWith('/v1/');
}
