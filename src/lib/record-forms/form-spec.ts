import { RecordKind } from '../shared/records/index.ts';

// A form is a list of fields, each bound to a dotted path of the record ("code.display",
// "referenceRange.low"), the same path the schema's per-field errors use, so every message lands
// beside its field.

export type FieldInput = 'text' | 'textarea' | 'date' | 'number' | 'select';

export interface FieldSpec {
	path: string;
	label: string;
	input: FieldInput;
	hint?: string;
	options?: readonly { value: string; label: string }[];
	/** Two half-width fields share a row on a tablet. */
	half?: boolean;
	/** Keyboard hint for phones. */
	inputmode?: 'decimal' | 'numeric' | 'text' | 'email' | 'tel';
	autocomplete?: 'off' | 'name' | 'email' | 'tel';
}

export interface FormSpec {
	kind: RecordKind;
	/** "Lab result", "Condition": what the person calls it. */
	title: string;
	fields: readonly FieldSpec[];
}

export type FormValues = Record<string, string>;

const options = (...pairs: [string, string][]) => pairs.map(([value, label]) => ({ value, label }));

const NOTE: FieldSpec = { path: 'note', label: 'Note', input: 'textarea' };

export const formSpecs: Record<RecordKind, FormSpec> = {
	patient: {
		kind: 'patient',
		title: 'Patient',
		fields: [
			{ path: 'name.given', label: 'Given names', input: 'text', half: true, autocomplete: 'off' },
			{ path: 'name.family', label: 'Family name', input: 'text', half: true, autocomplete: 'off' },
			{ path: 'birthDate', label: 'Date of birth', input: 'date', half: true },
			{
				path: 'sex',
				label: 'Sex',
				input: 'select',
				half: true,
				options: options(
					['', '—'],
					['female', 'Female'],
					['male', 'Male'],
					['other', 'Other'],
					['unknown', 'Unknown']
				)
			},
			{
				path: 'identifiers.0.value',
				label: 'Medical record number (MRN)',
				input: 'text',
				autocomplete: 'off'
			},
			{
				path: 'phone',
				label: 'Phone',
				input: 'text',
				inputmode: 'tel',
				half: true,
				autocomplete: 'off'
			},
			{
				path: 'email',
				label: 'Email',
				input: 'text',
				inputmode: 'email',
				half: true,
				autocomplete: 'off'
			},
			{ path: 'address.lines', label: 'Address', input: 'textarea', hint: 'One line per row.' },
			{
				path: 'address.city',
				label: 'Town or city',
				input: 'text',
				half: true,
				autocomplete: 'off'
			},
			{
				path: 'address.postalCode',
				label: 'Postcode',
				input: 'text',
				half: true,
				autocomplete: 'off'
			}
		]
	},
	observation: {
		kind: 'observation',
		title: 'Lab result or vital sign',
		fields: [
			{
				path: 'category',
				label: 'Kind',
				input: 'select',
				half: true,
				options: options(['laboratory', 'Laboratory'], ['vital-signs', 'Vital sign'])
			},
			{ path: 'effectiveDateTime', label: 'Date taken', input: 'date', half: true },
			{
				path: 'code.display',
				label: 'Test',
				input: 'text',
				hint: 'For example Haemoglobin or HbA1c.'
			},
			{
				path: 'code.code',
				label: 'LOINC code',
				input: 'text',
				half: true,
				hint: 'Optional, like 4548-4.'
			},
			{
				path: 'value.value',
				label: 'Result',
				input: 'text',
				half: true,
				inputmode: 'decimal',
				hint: 'A number, or words like "positive".'
			},
			{
				path: 'value.unit',
				label: 'Unit',
				input: 'text',
				half: true,
				hint: 'UCUM, like mmol/L or %.'
			},
			{
				path: 'interpretation',
				label: 'Flag',
				input: 'select',
				half: true,
				options: options(
					['', '—'],
					['N', 'Normal'],
					['L', 'Low'],
					['H', 'High'],
					['LL', 'Critically low'],
					['HH', 'Critically high'],
					['A', 'Abnormal'],
					['AA', 'Critically abnormal']
				)
			},
			{
				path: 'referenceRange.low',
				label: 'Reference low',
				input: 'number',
				half: true,
				inputmode: 'decimal'
			},
			{
				path: 'referenceRange.high',
				label: 'Reference high',
				input: 'number',
				half: true,
				inputmode: 'decimal'
			},
			{ path: 'specimen', label: 'Specimen', input: 'text', half: true },
			{ path: 'performer', label: 'Laboratory or performer', input: 'text', half: true },
			NOTE
		]
	},
	condition: {
		kind: 'condition',
		title: 'Condition',
		fields: [
			{ path: 'code.display', label: 'Condition', input: 'text' },
			{
				path: 'clinicalStatus',
				label: 'Status',
				input: 'select',
				half: true,
				options: options(
					['active', 'Active'],
					['recurrence', 'Recurrence'],
					['relapse', 'Relapse'],
					['inactive', 'Inactive'],
					['remission', 'In remission'],
					['resolved', 'Resolved']
				)
			},
			{
				path: 'severity',
				label: 'Severity',
				input: 'select',
				half: true,
				options: options(
					['', '—'],
					['mild', 'Mild'],
					['moderate', 'Moderate'],
					['severe', 'Severe']
				)
			},
			{ path: 'onsetDate', label: 'Onset', input: 'date', half: true },
			{ path: 'abatementDate', label: 'Resolved on', input: 'date', half: true },
			NOTE
		]
	},
	'medication-statement': {
		kind: 'medication-statement',
		title: 'Medication',
		fields: [
			{
				path: 'medication.display',
				label: 'Medication',
				input: 'text',
				hint: 'Name, strength and form.'
			},
			{ path: 'dosage', label: 'Dosage', input: 'text', hint: 'For example 1 tablet twice a day.' },
			{
				path: 'status',
				label: 'Status',
				input: 'select',
				half: true,
				options: options(
					['active', 'Taking'],
					['completed', 'Completed'],
					['stopped', 'Stopped'],
					['on-hold', 'On hold'],
					['intended', 'Intended'],
					['not-taken', 'Not taken'],
					['unknown', 'Unknown']
				)
			},
			{ path: 'reason', label: 'Reason', input: 'text', half: true },
			{ path: 'effectivePeriod.start', label: 'Started', input: 'date', half: true },
			{ path: 'effectivePeriod.end', label: 'Ended', input: 'date', half: true },
			NOTE
		]
	},
	'allergy-intolerance': {
		kind: 'allergy-intolerance',
		title: 'Allergy or intolerance',
		fields: [
			{ path: 'substance.display', label: 'Substance', input: 'text' },
			{ path: 'reactions.0.manifestation', label: 'Reaction', input: 'text', half: true },
			{
				path: 'reactions.0.severity',
				label: 'Reaction severity',
				input: 'select',
				half: true,
				options: options(
					['', '—'],
					['mild', 'Mild'],
					['moderate', 'Moderate'],
					['severe', 'Severe']
				)
			},
			{
				path: 'criticality',
				label: 'Criticality',
				input: 'select',
				half: true,
				options: options(
					['', '—'],
					['low', 'Low'],
					['high', 'High'],
					['unable-to-assess', 'Unable to assess']
				)
			},
			{
				path: 'clinicalStatus',
				label: 'Status',
				input: 'select',
				half: true,
				options: options(['active', 'Active'], ['inactive', 'Inactive'], ['resolved', 'Resolved'])
			},
			{
				path: 'category',
				label: 'Category',
				input: 'select',
				half: true,
				options: options(
					['', '—'],
					['medication', 'Medication'],
					['food', 'Food'],
					['environment', 'Environment'],
					['biologic', 'Biologic']
				)
			},
			{ path: 'recordedDate', label: 'Recorded on', input: 'date', half: true },
			NOTE
		]
	},
	immunization: {
		kind: 'immunization',
		title: 'Immunisation',
		fields: [
			{ path: 'vaccine.display', label: 'Vaccine', input: 'text' },
			{ path: 'occurrenceDateTime', label: 'Given on', input: 'date', half: true },
			{
				path: 'doseNumber',
				label: 'Dose number',
				input: 'number',
				half: true,
				inputmode: 'numeric'
			},
			{ path: 'lotNumber', label: 'Lot number', input: 'text', half: true },
			{ path: 'site', label: 'Site', input: 'text', half: true, hint: 'For example left deltoid.' },
			{ path: 'performer', label: 'Given by', input: 'text' },
			NOTE
		]
	},
	'document-reference': {
		kind: 'document-reference',
		title: 'Document',
		fields: [
			{ path: 'title', label: 'Title', input: 'text' },
			{ path: 'date', label: 'Date', input: 'date', half: true },
			{
				path: 'contentType',
				label: 'File type',
				input: 'text',
				half: true,
				hint: 'Filled in when you choose a file.'
			},
			{ path: 'size', label: 'Size in bytes', input: 'number', half: true },
			{
				path: 'hash',
				label: 'SHA-256',
				input: 'text',
				half: true,
				hint: 'Filled in when you choose a file.'
			},
			{ path: 'description', label: 'Description', input: 'textarea' }
		]
	},
	note: {
		kind: 'note',
		title: 'Clinical note',
		fields: [{ path: 'title', label: 'Title', input: 'text' }]
	},
	'diagnostic-report': {
		kind: 'diagnostic-report',
		title: 'Analysis',
		fields: [
			{ path: 'title', label: 'Title', input: 'text' },
			{ path: 'issued', label: 'Written', input: 'date', half: true },
			{ path: 'conclusion', label: 'Text', input: 'textarea' },
			{ path: 'performer', label: 'Written by', input: 'text', half: true }
		]
	}
};

/**
 * The kinds a person adds from a profile page: not the patient (the profile itself), not a
 * note, which is written on the patient's Notes page (src/lib/notes, issue 6), and not an
 * analysis, which the Analyse page writes (src/lib/analyses).
 */
export const ADDABLE_KINDS = RecordKind.options.filter(
	(kind): kind is Exclude<RecordKind, 'patient' | 'note' | 'diagnostic-report'> =>
		kind !== 'patient' && kind !== 'note' && kind !== 'diagnostic-report'
);
