import { z } from 'zod';
import { requiredText } from './fields.ts';

// The note's text lives in a Yjs document (issue 6); the record holds its title and which doc.
export const Note = z.object({
	title: requiredText('Enter a title for the note'),
	docId: z.uuid({ error: 'The note is not linked to a document' })
});
export type Note = z.infer<typeof Note>;
