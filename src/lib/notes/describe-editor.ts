// Who last changed a note, in words. The server names authors by user id only; members' emails
// come from the members list when the device is online, and are never stored.
export function describeEditor({
	editedBy,
	userId,
	emails
}: {
	editedBy: string | undefined;
	userId: string | null;
	emails: ReadonlyMap<string, string> | null;
}): string {
	if (editedBy === undefined) return 'you, on this device';
	if (editedBy === userId) return 'you';
	return emails?.get(editedBy) ?? 'another member';
}

export const formatNoteTime = (ms: number): string =>
	new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
