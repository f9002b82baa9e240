export { createSyncClient, type SyncClient, type SyncClientOptions } from './create-sync-client.ts';
export { startSyncTriggers } from './sync-triggers.ts';
export { backoffDelay } from './backoff.ts';
export { pushOutbox, retryRejected, type PushSummary } from './push-outbox.ts';
export { pullChanges } from './pull-changes.ts';
export { applyChanges, type ApplySummary } from './apply-changes.ts';
export { registerProfiles, type RegistrationFailure } from './register-profiles.ts';
export { describeState, type SyncState, type SyncStatus } from './sync-status.ts';
