import type * as Y from 'yjs';

// A note's body is one Y.Text of Markdown-like lines (paragraphs, `#` headings, `-` lists), the
// type CodeMirror 6's Yjs binding (y-codemirror.next) edits. The name is part of the stored
// format: every replica must use the same one.
export const NOTE_TEXT = 'body';

export const noteText = (doc: Y.Doc): Y.Text => doc.getText(NOTE_TEXT);
