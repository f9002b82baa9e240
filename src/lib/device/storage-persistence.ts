// Browsers may evict an origin's IndexedDB under storage pressure unless it is "persisted".
// Charta asks once after sign-in and shows the answer in Settings.

export type PersistenceOutcome = 'persisted' | 'best-effort' | 'unsupported';

export async function requestPersistence(storage = globalThis.navigator?.storage) {
	if (!storage?.persist) return 'unsupported' satisfies PersistenceOutcome;
	if (await storage.persisted()) return 'persisted' satisfies PersistenceOutcome;
	return (await storage.persist()) ? 'persisted' : ('best-effort' satisfies PersistenceOutcome);
}

export async function currentPersistence(
	storage = globalThis.navigator?.storage
): Promise<PersistenceOutcome> {
	if (!storage?.persisted) return 'unsupported';
	return (await storage.persisted()) ? 'persisted' : 'best-effort';
}

export function describePersistence(outcome: PersistenceOutcome): string {
	switch (outcome) {
		case 'persisted':
			return 'Protected: the browser will not clear Charta’s data to free space.';
		case 'best-effort':
			return 'Not protected: the browser may clear Charta’s data when the device runs low on space. Installing Charta to the home screen usually protects it.';
		case 'unsupported':
			return 'This browser cannot protect stored data from being cleared.';
	}
}
