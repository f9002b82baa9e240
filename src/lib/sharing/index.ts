export { createSharing, type Sharing } from './create-sharing.ts';
export { createSharingApi, type SharingApi } from './sharing-api.ts';
export { inviteMember } from './invite-member.ts';
export { revokeMember } from './revoke-member.ts';
export { readProfileAccess, readOnlyMessage, type ProfileAccess } from './profile-access.ts';
export {
	ReadOnlyProfileError,
	SharingError,
	UnknownAccountError,
	KeyChangedError,
	type ReadOnlyReason
} from './errors.ts';
export { describeSharingError, SHARING_OFFLINE } from './describe-sharing-error.ts';
