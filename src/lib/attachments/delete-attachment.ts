import type { UserDb } from '../db/index.ts';

// This device only: the server's copy stays for the profile's other members.
export async function deleteAttachment({
	db,
	attachmentId
}: {
	db: UserDb;
	attachmentId: string;
}): Promise<void> {
	await db.transaction('rw', db.attachments, db.attachmentChunks, async () => {
		await db.attachmentChunks
			.where('[attachmentId+index]')
			.between([attachmentId, 0], [attachmentId, Infinity])
			.delete();
		await db.attachments.delete(attachmentId);
	});
}
