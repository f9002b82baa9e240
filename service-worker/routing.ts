// What the worker decides, kept free of worker globals so it can be unit-tested.
import { isApiPath } from '../src/lib/shared/paths.ts';

/** A page load inside the app that the shell should answer; API paths always go to the network. */
export function isAppNavigation(mode: RequestMode, url: URL): boolean {
	return mode === 'navigate' && !isApiPath(url.pathname);
}
