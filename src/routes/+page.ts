// The shell: prerendered once, precached by the service worker, answered for every navigation.
export const prerender = true;
