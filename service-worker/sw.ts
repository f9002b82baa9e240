/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import {
	cleanupOutdatedCaches,
	createHandlerBoundToURL,
	precacheAndRoute
} from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { isSkipWaitingMessage } from '../src/lib/shared/sw-messages.ts';
import { startImportQueue } from './import-queue.ts';
import { isAppNavigation } from './routing.ts';

declare const self: ServiceWorkerGlobalScope;

// The shell, the JavaScript, the styles, the icons and the manifest. /v1 is never in this list and
// no route below caches anything, so API answers always come from the network.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Rendering happens on the device (ssr = false), so every app route is the one shell at "/".
registerRoute(
	({ request, url }) => isAppNavigation(request.mode, url),
	createHandlerBoundToURL('/')
);

// A new version waits until the person presses Reload: the page posts SKIP_WAITING, never us.
self.addEventListener('message', (event) => {
	if (isSkipWaitingMessage(event.data)) void self.skipWaiting();
});

// Reports added for import are sent and followed here, outside any one page (import-queue.ts).
startImportQueue(self);

// The first install takes over the open page at once, so it works offline without a reload.
clientsClaim();
