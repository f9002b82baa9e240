// The note editor (issue 6): CodeMirror 6 bound to the note's Y.Text by y-codemirror.next, the
// lightest maintained Yjs binding that works with a tablet's on-screen keyboard (CodeMirror reads
// the browser's own input events, IME composition and autocorrect included). Markdown-like lines
// are styled, not parsed: `#` headings and `-` lists, so the stored text is exactly what was
// typed. Not exported from index.ts: it needs a DOM, and the sync layer imports the index.
import { defaultKeymap } from '@codemirror/commands';
import { EditorState, RangeSetBuilder, type Extension } from '@codemirror/state';
import {
	Decoration,
	EditorView,
	ViewPlugin,
	keymap,
	type Command,
	type DecorationSet,
	type ViewUpdate
} from '@codemirror/view';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import * as Y from 'yjs';

const HEADING = /^(#{1,6})\s/;
const LIST = /^(\s*)([-*])\s/;

const headingLines = [1, 2, 3, 4, 5, 6].map((level) =>
	Decoration.line({ class: `cm-note-heading cm-note-h${Math.min(level, 3)}` })
);
const listLine = Decoration.line({ class: 'cm-note-list' });

function decorate(view: EditorView): DecorationSet {
	const builder = new RangeSetBuilder<Decoration>();
	for (const { from, to } of view.visibleRanges) {
		for (let pos = from; pos <= to;) {
			const line = view.state.doc.lineAt(pos);
			const heading = HEADING.exec(line.text);
			if (heading) builder.add(line.from, line.from, headingLines[heading[1]!.length - 1]!);
			else if (LIST.test(line.text)) builder.add(line.from, line.from, listLine);
			pos = line.to + 1;
		}
	}
	return builder.finish();
}

const markdownLines = ViewPlugin.fromClass(
	class {
		decorations: DecorationSet;
		constructor(view: EditorView) {
			this.decorations = decorate(view);
		}
		update(update: ViewUpdate) {
			if (update.docChanged || update.viewportChanged) this.decorations = decorate(update.view);
		}
	},
	{ decorations: (plugin) => plugin.decorations }
);

// Enter at the end of a list item starts the next one; on an empty item it ends the list.
const continueList: Command = (view) => {
	const { state } = view;
	const range = state.selection.main;
	if (!range.empty) return false;
	const line = state.doc.lineAt(range.head);
	const list = LIST.exec(line.text);
	if (!list || range.head !== line.to) return false;
	if (line.text.trim() === list[2]) {
		view.dispatch({ changes: { from: line.from, to: line.to, insert: '' } });
		return true;
	}
	const marker = `\n${list[1]}${list[2]} `;
	view.dispatch({
		changes: { from: range.head, insert: marker },
		selection: { anchor: range.head + marker.length },
		scrollIntoView: true,
		userEvent: 'input'
	});
	return true;
};

const theme = EditorView.theme({
	'&': {
		background: 'var(--card)',
		border: '1px solid var(--border)',
		borderRadius: 'var(--radius)',
		fontSize: '1.05rem'
	},
	'&.cm-focused': { outline: '3px solid var(--focus)', outlineOffset: '2px' },
	'.cm-scroller': { fontFamily: 'inherit', lineHeight: '1.6' },
	'.cm-content': { padding: '0.75rem 1rem', minHeight: '16rem', caretColor: 'var(--text)' },
	'.cm-line': { padding: '0' },
	'.cm-note-heading': { fontWeight: '700' },
	'.cm-note-h1': { fontSize: '1.45em' },
	'.cm-note-h2': { fontSize: '1.25em' },
	'.cm-note-h3': { fontSize: '1.1em' },
	'.cm-note-list': { paddingLeft: '0.5rem' }
});

export function createNoteEditor({
	parent,
	text,
	readOnly,
	label
}: {
	parent: HTMLElement;
	text: Y.Text;
	readOnly: boolean;
	label: string;
}): EditorView {
	// Undo and redo take back this person's own edits only, never another device's.
	const undoManager = new Y.UndoManager(text);
	const extensions: Extension[] = [
		yCollab(text, null, { undoManager }),
		keymap.of([{ key: 'Enter', run: continueList }, ...yUndoManagerKeymap, ...defaultKeymap]),
		EditorView.lineWrapping,
		markdownLines,
		theme,
		EditorState.readOnly.of(readOnly),
		EditorView.editable.of(!readOnly),
		EditorView.contentAttributes.of({
			'aria-label': label,
			'aria-multiline': 'true',
			'aria-readonly': String(readOnly),
			// An on-screen keyboard capitalises sentences and corrects words, as in any text field.
			autocapitalize: 'sentences',
			autocorrect: 'on',
			spellcheck: 'true'
		})
	];
	const view = new EditorView({
		parent,
		state: EditorState.create({ doc: text.toString(), extensions })
	});
	const destroy = view.destroy.bind(view);
	view.destroy = () => {
		destroy();
		undoManager.destroy();
	};
	return view;
}
