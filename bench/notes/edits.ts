// A clinician typing a long note, one character per edit: mostly typing at the cursor, a
// backspace run now and then, and every few hundred keystrokes the cursor moves to fix earlier
// text. Seeded, so every run types the same note.
const SOURCE =
	'Seen at home with daughter present. Reports two days of worsening breathlessness on exertion, ' +
	'no chest pain. Sleeps on three pillows. Ankles swollen since the weekend.\n' +
	'# Examination\n- BP 142/88, pulse 96 irregular, SpO2 93% on air\n- Bibasal crackles, pitting ' +
	'oedema to mid-shin\n# Plan\n- Increase furosemide to 80 mg mane, recheck U&E in one week\n' +
	'- Daily weights; call if gain over 2 kg\n';

export type Edit = { insert: string; at: number } | { delete: number };

export function* clinicianEdits(count: number, seed = 1): Generator<Edit> {
	let state = seed >>> 0;
	const random = () => {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		return state / 4294967296;
	};
	let length = 0;
	let cursor = 0;
	let source = 0;
	let backspaces = 0;
	for (let made = 0; made < count; made++) {
		if (backspaces > 0 && cursor > 0) {
			backspaces--;
			cursor--;
			length--;
			yield { delete: cursor };
			continue;
		}
		const roll = random();
		if (roll < 0.004 && length > 0) cursor = Math.floor(random() * (length + 1));
		else if (roll < 0.004 + 0.06) backspaces = 1 + Math.floor(random() * 4);
		const insert = SOURCE[source++ % SOURCE.length]!;
		yield { insert, at: cursor };
		cursor++;
		length++;
	}
}
