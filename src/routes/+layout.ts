// Health data is decrypted only on the device, so pages render there: the server sends one shell,
// which the service worker can serve for every route offline.
export const ssr = false;
