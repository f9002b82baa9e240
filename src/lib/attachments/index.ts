// A document's original file (issue 5): sealed in chunks on the device, uploaded in chunks
// (resumable), read back by any member of the profile. No Svelte and no `window`: the page and
// the service worker both call it, each passing its own fetch, database and keys.
export { ATTACHMENT_CHUNK_BYTES } from '../shared/attachments.ts';
export { storeAttachment } from './store-attachment.ts';
export { uploadAttachment } from './upload-attachment.ts';
export { readAttachment } from './read-attachment.ts';
export { deleteAttachment } from './delete-attachment.ts';
export { resealAttachment } from './reseal-attachment.ts';
export { chunkBinding } from './chunk-envelope.ts';
export {
	AttachmentError,
	AttachmentNotFoundError,
	AttachmentCorruptError,
	AttachmentTooLargeError,
	AttachmentExistsError,
	AttachmentNetworkError,
	AttachmentRefusedError
} from './errors.ts';
