// Health-record types named after FHIR R4, shared by the page, the service worker and the server,
// and the stored shape that carries a hybrid-logical-clock stamp per field for merging.
export { RecordKind } from './record-kind.ts';
export { recordSchemas, type RecordData, type RecordInput } from './record-schemas.ts';
export {
	validateRecord,
	parseRecord,
	RecordValidationError,
	type RecordValidation
} from './validate-record.ts';
export { toFieldErrors, FORM_ERROR_KEY, type FieldErrors } from './field-errors.ts';
export { DATE_HINT, DATE_TIME_HINT, IsoDate, IsoDateTime } from './fields.ts';
export { loadUcum, checkUcumUnit, type UnitCheck } from './ucum-units.ts';
export { isLoincCode, LOINC_SYSTEM } from './loinc.ts';
export { isNhsNumber, NHS_NUMBER_SYSTEM } from './nhs-number.ts';
export { Patient, HumanName, Identifier, Address, AdministrativeGender } from './patient.ts';
export {
	Observation,
	ObservationCode,
	ObservationValue,
	ObservationCategory,
	ObservationStatus,
	ReferenceRange,
	Interpretation,
	CRITICAL_INTERPRETATIONS,
	DerivedFrom,
	UcumUnit
} from './observation.ts';
export {
	Condition,
	ConditionClinicalStatus,
	ConditionVerificationStatus,
	Severity
} from './condition.ts';
export { MedicationStatement, MedicationStatementStatus, Period } from './medication-statement.ts';
export {
	AllergyIntolerance,
	AllergyReaction,
	AllergyCriticality,
	AllergyClinicalStatus,
	AllergyType,
	AllergyCategory
} from './allergy-intolerance.ts';
export { Immunization } from './immunization.ts';
export { DocumentReference } from './document-reference.ts';
export { Note } from './note.ts';
export { DiagnosticReport, REPORT_TEXT_MAX } from './diagnostic-report.ts';
export {
	StoredRecord,
	StoredField,
	StoredConflict,
	TOMBSTONE_FIELD,
	emptyRecord,
	readRecord,
	isDeleted,
	listConflicts,
	latestStamp
} from './stored-record.ts';
export { encodeStoredRecord, decodeStoredRecord, RecordFormatError } from './record-codec.ts';
export {
	stampRecord,
	writeFields,
	changedFields,
	changedData,
	setDeleted
} from './stamp-record.ts';
export { mergeRecords, RecordMergeError } from './merge-records.ts';
export { canonicalJson } from './canonical-json.ts';
