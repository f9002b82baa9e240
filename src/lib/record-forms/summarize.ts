import type { RecordData, RecordKind } from '../shared/records/index.ts';
import { formSpecs } from './form-spec.ts';

// One line per record for lists and the timeline: what it is, the detail that matters, and the
// clinical date it belongs to (not when it was typed in).

export interface RecordSummary {
	kindLabel: string;
	title: string;
	detail: string;
	/** ISO date (or date-time) the record is about; undefined when it has none. */
	date?: string;
}

const INTERPRETATION_LABEL: Record<string, string> = {
	LL: 'Critically low',
	L: 'Low',
	N: 'Normal',
	H: 'High',
	HH: 'Critically high',
	A: 'Abnormal',
	AA: 'Critically abnormal'
};

export function interpretationLabel(flag: string | undefined): string | null {
	return flag ? (INTERPRETATION_LABEL[flag] ?? flag) : null;
}

export function formatResult(value: RecordData<'observation'>['value']): string {
	return value.type === 'quantity' ? `${value.value} ${value.unit}` : value.value;
}

export function formatRange(range: RecordData<'observation'>['referenceRange']): string {
	if (!range) return '';
	if (range.low !== undefined && range.high !== undefined) return `${range.low}–${range.high}`;
	if (range.low !== undefined) return `≥ ${range.low}`;
	if (range.high !== undefined) return `≤ ${range.high}`;
	return range.text ?? '';
}

export function summarize(kind: RecordKind, data: RecordData): RecordSummary {
	const kindLabel = formSpecs[kind].title;
	switch (kind) {
		case 'observation': {
			const o = data as RecordData<'observation'>;
			const flag = interpretationLabel(o.interpretation);
			return {
				kindLabel: o.category === 'vital-signs' ? 'Vital sign' : 'Lab result',
				title: o.code.display,
				detail: [formatResult(o.value), flag].filter(Boolean).join(' · '),
				date: o.effectiveDateTime
			};
		}
		case 'condition': {
			const c = data as RecordData<'condition'>;
			return { kindLabel, title: c.code.display, detail: c.clinicalStatus, date: c.onsetDate };
		}
		case 'medication-statement': {
			const m = data as RecordData<'medication-statement'>;
			return {
				kindLabel,
				title: m.medication.display,
				detail: [m.dosage, m.status].filter(Boolean).join(' · '),
				date: m.effectivePeriod?.start
			};
		}
		case 'allergy-intolerance': {
			const a = data as RecordData<'allergy-intolerance'>;
			return {
				kindLabel,
				title: a.substance.display,
				detail: [a.reactions[0]?.manifestation, a.criticality && `criticality ${a.criticality}`]
					.filter(Boolean)
					.join(' · '),
				date: a.recordedDate
			};
		}
		case 'immunization': {
			const i = data as RecordData<'immunization'>;
			return {
				kindLabel,
				title: i.vaccine.display,
				detail: i.doseNumber ? `Dose ${i.doseNumber}` : i.status === 'not-done' ? 'Not given' : '',
				date: i.occurrenceDateTime
			};
		}
		case 'document-reference': {
			const d = data as RecordData<'document-reference'>;
			return { kindLabel, title: d.title, detail: d.contentType, date: d.date };
		}
		case 'note': {
			const n = data as RecordData<'note'>;
			return { kindLabel, title: n.title, detail: '' };
		}
		case 'diagnostic-report': {
			const r = data as RecordData<'diagnostic-report'>;
			return { kindLabel, title: r.title, detail: r.performer ?? '', date: r.issued };
		}
		case 'patient': {
			const p = data as RecordData<'patient'>;
			return { kindLabel, title: patientName(p), detail: p.birthDate ?? '' };
		}
	}
}

export function patientName(patient: RecordData<'patient'>): string {
	return [...patient.name.given, patient.name.family].filter(Boolean).join(' ');
}
