import type { LabTest, LabTestScale, LabTestSpecimen } from './lab-test.ts';

// The lab tests the local extractor recognises: 170 of the most commonly reported observations.
//
// Source and curation. "Most common" follows LOINC's own usage ranks: the COMMON_TEST_RANK
// column of the LOINC table, published as "Mapper's Guide to the Top 2000+ US Lab Observations"
// (Regenstrief Institute), and COMMON_SI_TEST_RANK, its counterpart in SI units ("Top 300+ SI
// Lab Observations"). From the top of those lists we took the tests that appear on everyday
// reports (blood count and differential, coagulation, renal, liver, bone, lipids, diabetes,
// thyroid, iron and vitamins, cardiac and inflammatory markers, common hormones and tumour
// markers, blood gases, urinalysis dipstick and microscopy, common serology and drug levels),
// one entry per LOINC property so that mass and molar results (mg/dL and mmol/L glucose) keep
// their own codes. Hand-curated in 2026-11 rather than imported: each code's check digit is
// tested (lab-tests.test.ts), codes were cross-checked against their LOINC long common names,
// units are UCUM as LOINC's EXAMPLE_UCUM_UNITS gives them, and the synonyms are the names and
// abbreviations printed on UK (NHS), US and European reports. Codes we could not confirm were
// left out rather than guessed.
//
// Licence. This material contains content from LOINC (http://loinc.org). LOINC is copyright
// © Regenstrief Institute, Inc. and the Logical Observation Identifiers Names and Codes (LOINC)
// Committee and is available at no cost under the license at http://loinc.org/license.
// LOINC® is a registered United States trademark of Regenstrief Institute, Inc.

type Options = { specimen?: LabTestSpecimen; scale?: LabTestScale };

function test(
	loinc: string,
	display: string,
	unit: string | null,
	altUnits: string[],
	synonyms: string[],
	{ specimen = 'blood', scale = unit === null ? 'Ord' : 'Qn' }: Options = {}
): LabTest {
	return { loinc, display, scale, specimen, unit, altUnits, synonyms };
}

const urine = { specimen: 'urine' } as const;
// Counts print as 10*3/uL in the US and 10*9/L (the same number) in the UK and Europe;
// some US labs print cells/uL.
const COUNT_UNITS = ['10*9/L', '/uL'];

export const LAB_TESTS: readonly LabTest[] = [
	// Blood count
	test(
		'718-7',
		'Hemoglobin [Mass/volume] in Blood',
		'g/dL',
		['g/L'],
		['Hemoglobin', 'Haemoglobin', 'Hb', 'Hgb', 'HGB', 'Total haemoglobin']
	),
	test(
		'4544-3',
		'Hematocrit [Volume Fraction] of Blood by Automated count',
		'%',
		['L/L'],
		['Hematocrit', 'Haematocrit', 'Hct', 'PCV', 'Packed cell volume']
	),
	test(
		'789-8',
		'Erythrocytes [#/volume] in Blood by Automated count',
		'10*6/uL',
		['10*12/L'],
		[
			'RBC',
			'Red blood cells',
			'Red blood cell count',
			'Red cell count',
			'Red cells',
			'Erythrocytes',
			'RCC'
		]
	),
	test('6690-2', 'Leukocytes [#/volume] in Blood by Automated count', '10*3/uL', COUNT_UNITS, [
		'WBC',
		'White blood cells',
		'White blood cell count',
		'White cell count',
		'White cells',
		'Total white cell count',
		'Leukocytes',
		'Leucocytes',
		'Leukocyte count',
		'WCC',
		'TLC'
	]),
	test('777-3', 'Platelets [#/volume] in Blood by Automated count', '10*3/uL', COUNT_UNITS, [
		'Platelets',
		'Platelet count',
		'PLT',
		'Plt count',
		'Thrombocytes'
	]),
	test(
		'787-2',
		'MCV [Entitic volume] by Automated count',
		'fL',
		[],
		['MCV', 'Mean cell volume', 'Mean corpuscular volume']
	),
	test(
		'785-6',
		'MCH [Entitic mass] by Automated count',
		'pg',
		[],
		['MCH', 'Mean cell hemoglobin', 'Mean corpuscular hemoglobin']
	),
	test(
		'786-4',
		'MCHC [Mass/volume] by Automated count',
		'g/dL',
		['g/L'],
		['MCHC', 'Mean cell hemoglobin concentration', 'Mean corpuscular hemoglobin concentration']
	),
	test(
		'788-0',
		'Erythrocyte distribution width [Ratio] by Automated count',
		'%',
		[],
		['RDW', 'RDW-CV', 'Red cell distribution width', 'Red cell distribution width CV']
	),
	test(
		'21000-5',
		'Erythrocyte distribution width [Entitic volume] by Automated count',
		'fL',
		[],
		['RDW-SD', 'Red cell distribution width SD']
	),
	test(
		'32623-1',
		'Platelet mean volume [Entitic volume] in Blood by Automated count',
		'fL',
		[],
		['MPV', 'Mean platelet volume']
	),
	test('751-8', 'Neutrophils [#/volume] in Blood by Automated count', '10*3/uL', COUNT_UNITS, [
		'Neutrophils',
		'Neutrophil count',
		'Neut',
		'Neutrophils absolute',
		'Absolute neutrophils',
		'ANC'
	]),
	test(
		'770-8',
		'Neutrophils/100 leukocytes in Blood by Automated count',
		'%',
		[],
		['Neutrophils', 'Neutrophils %', 'Neut %']
	),
	test('731-0', 'Lymphocytes [#/volume] in Blood by Automated count', '10*3/uL', COUNT_UNITS, [
		'Lymphocytes',
		'Lymphocyte count',
		'Lymph',
		'Lymphs',
		'Lymphocytes absolute',
		'Absolute lymphocytes'
	]),
	test(
		'736-9',
		'Lymphocytes/100 leukocytes in Blood by Automated count',
		'%',
		[],
		['Lymphocytes', 'Lymphocytes %', 'Lymph %']
	),
	test('742-7', 'Monocytes [#/volume] in Blood by Automated count', '10*3/uL', COUNT_UNITS, [
		'Monocytes',
		'Monocyte count',
		'Mono',
		'Monos',
		'Monocytes absolute',
		'Absolute monocytes'
	]),
	test(
		'5905-5',
		'Monocytes/100 leukocytes in Blood by Automated count',
		'%',
		[],
		['Monocytes', 'Monocytes %', 'Mono %']
	),
	test('711-2', 'Eosinophils [#/volume] in Blood by Automated count', '10*3/uL', COUNT_UNITS, [
		'Eosinophils',
		'Eosinophil count',
		'Eos',
		'Eosinophils absolute',
		'Absolute eosinophils'
	]),
	test(
		'713-8',
		'Eosinophils/100 leukocytes in Blood by Automated count',
		'%',
		[],
		['Eosinophils', 'Eosinophils %', 'Eos %']
	),
	test('704-7', 'Basophils [#/volume] in Blood by Automated count', '10*3/uL', COUNT_UNITS, [
		'Basophils',
		'Basophil count',
		'Baso',
		'Basos',
		'Basophils absolute',
		'Absolute basophils'
	]),
	test(
		'706-2',
		'Basophils/100 leukocytes in Blood by Automated count',
		'%',
		[],
		['Basophils', 'Basophils %', 'Baso %']
	),
	test(
		'17849-1',
		'Reticulocytes/100 erythrocytes in Blood by Automated count',
		'%',
		[],
		['Reticulocytes', 'Reticulocyte count', 'Retic', 'Retics', 'Reticulocytes %']
	),
	test(
		'60474-4',
		'Reticulocytes [#/volume] in Blood by Automated count',
		'10*9/L',
		['10*3/uL'],
		['Reticulocytes', 'Absolute reticulocytes', 'Reticulocytes absolute', 'Retic absolute']
	),
	test(
		'4537-7',
		'Erythrocyte sedimentation rate by Westergren method',
		'mm/h',
		[],
		[
			'ESR',
			'Erythrocyte sedimentation rate',
			'Sed rate',
			'Sedimentation rate',
			'Plasma viscosity ESR'
		]
	),

	// Coagulation
	test('5902-2', 'Prothrombin time (PT)', 's', [], ['Prothrombin time', 'PT', 'Pro time']),
	test(
		'6301-6',
		'INR in Platelet poor plasma by Coagulation assay',
		'{INR}',
		[],
		['INR', 'International normalized ratio', 'PT INR', 'Prothrombin INR']
	),
	test(
		'14979-9',
		'aPTT in Platelet poor plasma by Coagulation assay',
		's',
		[],
		[
			'APTT',
			'aPTT',
			'PTT',
			'Activated partial thromboplastin time',
			'Partial thromboplastin time',
			'APTT ratio time'
		]
	),
	test(
		'3255-7',
		'Fibrinogen [Mass/volume] in Platelet poor plasma by Coagulation assay',
		'mg/dL',
		['g/L'],
		['Fibrinogen', 'Clauss fibrinogen', 'Fibrinogen Clauss']
	),
	test(
		'48065-7',
		'Fibrin D-dimer FEU [Mass/volume] in Platelet poor plasma',
		'ng/mL{FEU}',
		['ug/mL{FEU}', 'mg/L{FEU}', 'ug/L{FEU}', 'ng/mL', 'ug/mL', 'mg/L', 'ug/L'],
		['D-dimer', 'D dimer', 'Fibrin D-dimer', 'D-dimer FEU']
	),

	// Electrolytes and renal
	test(
		'2951-2',
		'Sodium [Moles/volume] in Serum or Plasma',
		'mmol/L',
		['meq/L'],
		['Sodium', 'Na', 'Na+', 'Serum sodium']
	),
	test(
		'2823-3',
		'Potassium [Moles/volume] in Serum or Plasma',
		'mmol/L',
		['meq/L'],
		['Potassium', 'K', 'K+', 'Serum potassium']
	),
	test(
		'2075-0',
		'Chloride [Moles/volume] in Serum or Plasma',
		'mmol/L',
		['meq/L'],
		['Chloride', 'Cl', 'Cl-']
	),
	test(
		'2028-9',
		'Carbon dioxide, total [Moles/volume] in Serum or Plasma',
		'mmol/L',
		['meq/L'],
		['Carbon dioxide', 'CO2', 'Total CO2', 'TCO2', 'Carbon dioxide total', 'CO2 content']
	),
	test(
		'1963-8',
		'Bicarbonate [Moles/volume] in Serum or Plasma',
		'mmol/L',
		['meq/L'],
		['Bicarbonate', 'HCO3', 'Serum bicarbonate', 'Bicarb']
	),
	test('33037-3', 'Anion gap in Serum or Plasma', 'mmol/L', ['meq/L'], ['Anion gap', 'AGAP']),
	test(
		'3094-0',
		'Urea nitrogen [Mass/volume] in Serum or Plasma',
		'mg/dL',
		[],
		['BUN', 'Urea nitrogen', 'Blood urea nitrogen', 'Urea N']
	),
	test('22664-7', 'Urea [Moles/volume] in Serum or Plasma', 'mmol/L', [], ['Urea', 'Serum urea']),
	test('3091-6', 'Urea [Mass/volume] in Serum or Plasma', 'mg/dL', [], ['Urea', 'Serum urea']),
	test(
		'2160-0',
		'Creatinine [Mass/volume] in Serum or Plasma',
		'mg/dL',
		[],
		['Creatinine', 'Creat', 'Cr', 'Crea', 'Serum creatinine']
	),
	test(
		'14682-9',
		'Creatinine [Moles/volume] in Serum or Plasma',
		'umol/L',
		['mmol/L'],
		['Creatinine', 'Creat', 'Cr', 'Crea', 'Serum creatinine']
	),
	test(
		'3097-3',
		'Urea nitrogen/Creatinine [Mass Ratio] in Serum or Plasma',
		'{ratio}',
		[],
		['BUN/Creatinine ratio', 'BUN/Creat ratio', 'Urea nitrogen/creatinine ratio']
	),
	test(
		'62238-1',
		'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI)',
		'mL/min/{1.73_m2}',
		[],
		[
			'eGFR',
			'Estimated GFR',
			'GFR estimated',
			'eGFR CKD-EPI',
			'Estimated glomerular filtration rate',
			'eGFR non-African American'
		]
	),
	test(
		'33914-3',
		'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum or Plasma by Creatinine-based formula (MDRD)',
		'mL/min/{1.73_m2}',
		[],
		['eGFR MDRD', 'MDRD eGFR', 'GFR MDRD']
	),
	test('33863-2', 'Cystatin C [Mass/volume] in Serum or Plasma', 'mg/L', [], ['Cystatin C']),
	test(
		'2164-2',
		'Creatinine renal clearance in 24 hour Urine and Serum or Plasma',
		'mL/min',
		[],
		['Creatinine clearance', 'CrCl']
	),
	test('3084-1', 'Urate [Mass/volume] in Serum or Plasma', 'mg/dL', [], ['Uric acid', 'Urate']),
	test(
		'14933-6',
		'Urate [Moles/volume] in Serum or Plasma',
		'umol/L',
		['mmol/L'],
		['Uric acid', 'Urate']
	),
	test(
		'2692-2',
		'Osmolality of Serum or Plasma',
		'mosm/kg',
		[],
		['Osmolality', 'Serum osmolality', 'Plasma osmolality']
	),

	// Glucose and diabetes
	test(
		'2345-7',
		'Glucose [Mass/volume] in Serum or Plasma',
		'mg/dL',
		[],
		['Glucose', 'Glu', 'Blood glucose', 'Plasma glucose', 'Random glucose', 'Serum glucose']
	),
	test(
		'14749-6',
		'Glucose [Moles/volume] in Serum or Plasma',
		'mmol/L',
		[],
		['Glucose', 'Glu', 'Blood glucose', 'Plasma glucose', 'Random glucose', 'Serum glucose']
	),
	test(
		'1558-6',
		'Fasting glucose [Mass/volume] in Serum or Plasma',
		'mg/dL',
		[],
		[
			'Fasting glucose',
			'Glucose fasting',
			'FBG',
			'FPG',
			'Fasting blood glucose',
			'Fasting plasma glucose'
		]
	),
	test(
		'14771-0',
		'Fasting glucose [Moles/volume] in Serum or Plasma',
		'mmol/L',
		[],
		[
			'Fasting glucose',
			'Glucose fasting',
			'FBG',
			'FPG',
			'Fasting blood glucose',
			'Fasting plasma glucose'
		]
	),
	test(
		'4548-4',
		'Hemoglobin A1c/Hemoglobin.total in Blood',
		'%',
		[],
		[
			'HbA1c',
			'Hb A1c',
			'A1c',
			'Hemoglobin A1c',
			'Glycated hemoglobin',
			'Glycosylated hemoglobin',
			'Glycated Hb',
			'HbA1c DCCT'
		]
	),
	test(
		'59261-8',
		'Hemoglobin A1c/Hemoglobin.total in Blood by IFCC protocol',
		'mmol/mol',
		[],
		[
			'HbA1c',
			'Hb A1c',
			'A1c',
			'Hemoglobin A1c',
			'Glycated hemoglobin',
			'Glycosylated hemoglobin',
			'Glycated Hb',
			'HbA1c IFCC'
		]
	),
	test(
		'27353-2',
		'Glucose mean value [Mass/volume] in Blood Estimated from glycated hemoglobin',
		'mg/dL',
		[],
		['Estimated average glucose', 'eAG']
	),
	test(
		'20448-7',
		'Insulin [Units/volume] in Serum or Plasma',
		'u[IU]/mL',
		['m[IU]/L'],
		['Insulin', 'Fasting insulin']
	),
	test(
		'1986-9',
		'C peptide [Mass/volume] in Serum or Plasma',
		'ng/mL',
		[],
		['C-peptide', 'C peptide']
	),

	// Liver and proteins
	test(
		'1742-6',
		'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
		'U/L',
		[],
		[
			'ALT',
			'SGPT',
			'ALT/SGPT',
			'ALT (SGPT)',
			'ALAT',
			'GPT',
			'Alanine aminotransferase',
			'Alanine transaminase'
		]
	),
	test(
		'1920-8',
		'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
		'U/L',
		[],
		[
			'AST',
			'SGOT',
			'AST/SGOT',
			'AST (SGOT)',
			'ASAT',
			'GOT',
			'Aspartate aminotransferase',
			'Aspartate transaminase'
		]
	),
	test(
		'6768-6',
		'Alkaline phosphatase [Enzymatic activity/volume] in Serum or Plasma',
		'U/L',
		[],
		['Alkaline phosphatase', 'ALP', 'Alk phos', 'Alk phosphatase', 'ALKP']
	),
	test(
		'2324-2',
		'Gamma glutamyl transferase [Enzymatic activity/volume] in Serum or Plasma',
		'U/L',
		[],
		[
			'GGT',
			'Gamma GT',
			'GGTP',
			'Gamma-glutamyl transferase',
			'Gamma glutamyltransferase',
			'Gamma-glutamyl transpeptidase'
		]
	),
	test(
		'1975-2',
		'Bilirubin.total [Mass/volume] in Serum or Plasma',
		'mg/dL',
		[],
		['Bilirubin', 'Total bilirubin', 'Bilirubin total', 'T bili', 'TBIL', 'Bili total']
	),
	test(
		'14631-6',
		'Bilirubin.total [Moles/volume] in Serum or Plasma',
		'umol/L',
		[],
		['Bilirubin', 'Total bilirubin', 'Bilirubin total', 'T bili', 'TBIL', 'Bili total']
	),
	test(
		'1968-7',
		'Bilirubin.direct [Mass/volume] in Serum or Plasma',
		'mg/dL',
		[],
		['Direct bilirubin', 'Bilirubin direct', 'Conjugated bilirubin', 'D bili', 'DBIL']
	),
	test(
		'14629-0',
		'Bilirubin.direct [Moles/volume] in Serum or Plasma',
		'umol/L',
		[],
		['Direct bilirubin', 'Bilirubin direct', 'Conjugated bilirubin', 'D bili', 'DBIL']
	),
	test(
		'2885-2',
		'Protein [Mass/volume] in Serum or Plasma',
		'g/dL',
		['g/L'],
		['Total protein', 'Protein total', 'Protein', 'TP', 'Serum protein']
	),
	test(
		'1751-7',
		'Albumin [Mass/volume] in Serum or Plasma',
		'g/dL',
		['g/L'],
		['Albumin', 'Alb', 'Serum albumin']
	),
	test(
		'10834-0',
		'Globulin [Mass/volume] in Serum by calculation',
		'g/dL',
		['g/L'],
		['Globulin', 'Globulins', 'Total globulin']
	),
	test(
		'1759-0',
		'Albumin/Globulin [Mass Ratio] in Serum or Plasma',
		'{ratio}',
		[],
		['A/G ratio', 'Albumin/Globulin ratio', 'AG ratio']
	),
	test(
		'2532-0',
		'Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma',
		'U/L',
		[],
		['LDH', 'LD', 'Lactate dehydrogenase', 'Lactic dehydrogenase']
	),
	test(
		'1798-8',
		'Amylase [Enzymatic activity/volume] in Serum or Plasma',
		'U/L',
		[],
		['Amylase', 'Serum amylase']
	),
	test('3040-3', 'Lipase [Enzymatic activity/volume] in Serum or Plasma', 'U/L', [], ['Lipase']),
	test('16362-6', 'Ammonia [Moles/volume] in Plasma', 'umol/L', [], ['Ammonia', 'NH3']),
	test(
		'14338-8',
		'Prealbumin [Mass/volume] in Serum or Plasma',
		'mg/dL',
		['g/L'],
		['Prealbumin', 'Transthyretin']
	),

	// Bone and minerals
	test(
		'17861-6',
		'Calcium [Mass/volume] in Serum or Plasma',
		'mg/dL',
		[],
		['Calcium', 'Ca', 'Total calcium', 'Serum calcium']
	),
	test(
		'2000-8',
		'Calcium [Moles/volume] in Serum or Plasma',
		'mmol/L',
		[],
		['Calcium', 'Ca', 'Total calcium', 'Serum calcium']
	),
	test(
		'29265-6',
		'Calcium [Moles/volume] corrected for albumin in Serum or Plasma',
		'mmol/L',
		[],
		[
			'Adjusted calcium',
			'Corrected calcium',
			'Calcium adjusted',
			'Calcium corrected',
			'Albumin adjusted calcium',
			'Adj calcium'
		]
	),
	test(
		'1995-0',
		'Calcium.ionized [Moles/volume] in Serum or Plasma',
		'mmol/L',
		[],
		['Ionized calcium', 'Ionised calcium', 'Calcium ionized', 'iCa', 'Free calcium']
	),
	test(
		'2777-1',
		'Phosphate [Mass/volume] in Serum or Plasma',
		'mg/dL',
		[],
		['Phosphorus', 'Phosphate', 'Inorganic phosphate', 'PO4', 'Phos']
	),
	test(
		'14879-1',
		'Phosphate [Moles/volume] in Serum or Plasma',
		'mmol/L',
		[],
		['Phosphate', 'Phosphorus', 'Inorganic phosphate', 'PO4', 'Phos']
	),
	test(
		'19123-9',
		'Magnesium [Mass/volume] in Serum or Plasma',
		'mg/dL',
		[],
		['Magnesium', 'Mg', 'Serum magnesium']
	),
	test(
		'2601-3',
		'Magnesium [Moles/volume] in Serum or Plasma',
		'mmol/L',
		['meq/L'],
		['Magnesium', 'Mg', 'Serum magnesium']
	),
	test(
		'2731-8',
		'Parathyrin.intact [Mass/volume] in Serum or Plasma',
		'pg/mL',
		['ng/L'],
		['PTH', 'Parathyroid hormone', 'Intact PTH', 'PTH intact']
	),
	test(
		'62292-8',
		'25-Hydroxyvitamin D2+25-Hydroxyvitamin D3 [Mass/volume] in Serum or Plasma',
		'ng/mL',
		['ug/L'],
		[
			'Vitamin D',
			'25-OH vitamin D',
			'25-hydroxyvitamin D',
			'25(OH)D',
			'Total vitamin D',
			'Vitamin D 25-OH'
		]
	),
	test(
		'14635-7',
		'25-Hydroxyvitamin D3 [Moles/volume] in Serum or Plasma',
		'nmol/L',
		[],
		[
			'Vitamin D',
			'25-OH vitamin D',
			'25-hydroxyvitamin D',
			'25(OH)D',
			'Total vitamin D',
			'Vitamin D 25-OH'
		]
	),

	// Lipids
	test(
		'2093-3',
		'Cholesterol [Mass/volume] in Serum or Plasma',
		'mg/dL',
		[],
		['Cholesterol', 'Total cholesterol', 'Cholesterol total', 'Chol', 'TC', 'Serum cholesterol']
	),
	test(
		'14647-2',
		'Cholesterol [Moles/volume] in Serum or Plasma',
		'mmol/L',
		[],
		['Cholesterol', 'Total cholesterol', 'Cholesterol total', 'Chol', 'TC', 'Serum cholesterol']
	),
	test(
		'2085-9',
		'Cholesterol in HDL [Mass/volume] in Serum or Plasma',
		'mg/dL',
		[],
		['HDL', 'HDL cholesterol', 'HDL-C', 'Cholesterol HDL', 'HDL Chol']
	),
	test(
		'14646-4',
		'Cholesterol in HDL [Moles/volume] in Serum or Plasma',
		'mmol/L',
		[],
		['HDL', 'HDL cholesterol', 'HDL-C', 'Cholesterol HDL', 'HDL Chol']
	),
	test(
		'13457-7',
		'Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation',
		'mg/dL',
		[],
		[
			'LDL',
			'LDL cholesterol',
			'LDL-C',
			'Cholesterol LDL',
			'LDL Chol',
			'LDL calculated',
			'LDL cholesterol calc'
		]
	),
	test(
		'22748-8',
		'Cholesterol in LDL [Moles/volume] in Serum or Plasma',
		'mmol/L',
		[],
		[
			'LDL',
			'LDL cholesterol',
			'LDL-C',
			'Cholesterol LDL',
			'LDL Chol',
			'LDL calculated',
			'LDL cholesterol calc'
		]
	),
	test(
		'13458-5',
		'Cholesterol in VLDL [Mass/volume] in Serum or Plasma by calculation',
		'mg/dL',
		[],
		['VLDL', 'VLDL cholesterol', 'VLDL-C']
	),
	test(
		'43396-1',
		'Cholesterol non HDL [Mass/volume] in Serum or Plasma',
		'mg/dL',
		[],
		['Non-HDL cholesterol', 'Non HDL cholesterol', 'Non-HDL-C', 'Non-HDL']
	),
	test(
		'2571-8',
		'Triglyceride [Mass/volume] in Serum or Plasma',
		'mg/dL',
		[],
		['Triglyceride', 'Triglycerides', 'TG', 'Trig', 'Trigs']
	),
	test(
		'14927-8',
		'Triglyceride [Moles/volume] in Serum or Plasma',
		'mmol/L',
		[],
		['Triglyceride', 'Triglycerides', 'TG', 'Trig', 'Trigs']
	),
	test(
		'9830-1',
		'Cholesterol.total/Cholesterol in HDL [Mass Ratio] in Serum or Plasma',
		'{ratio}',
		[],
		[
			'Cholesterol/HDL ratio',
			'Chol/HDL ratio',
			'TC/HDL ratio',
			'Total cholesterol/HDL ratio',
			'Total cholesterol:HDL ratio'
		]
	),
	test(
		'1869-7',
		'Apolipoprotein A-I [Mass/volume] in Serum or Plasma',
		'mg/dL',
		['g/L'],
		['Apolipoprotein A1', 'Apo A1', 'ApoA-I', 'Apolipoprotein A-I']
	),
	test(
		'1884-6',
		'Apolipoprotein B [Mass/volume] in Serum or Plasma',
		'mg/dL',
		['g/L'],
		['Apolipoprotein B', 'Apo B', 'ApoB']
	),
	test(
		'10835-7',
		'Lipoprotein (a) [Mass/volume] in Serum or Plasma',
		'mg/dL',
		['mg/L'],
		['Lipoprotein (a)', 'Lipoprotein a', 'Lp(a)', 'Lpa']
	),

	// Thyroid and other hormones
	test(
		'3016-3',
		'Thyrotropin [Units/volume] in Serum or Plasma',
		'm[IU]/L',
		['u[IU]/mL'],
		['TSH', 'Thyrotropin', 'Thyroid stimulating hormone', 'TSH 3rd generation']
	),
	test(
		'3024-7',
		'Thyroxine (T4) free [Mass/volume] in Serum or Plasma',
		'ng/dL',
		[],
		['Free T4', 'FT4', 'T4 free', 'Free thyroxine', 'Thyroxine free']
	),
	test(
		'14920-3',
		'Thyroxine (T4) free [Moles/volume] in Serum or Plasma',
		'pmol/L',
		[],
		['Free T4', 'FT4', 'T4 free', 'Free thyroxine', 'Thyroxine free']
	),
	test(
		'3051-0',
		'Triiodothyronine (T3) Free [Mass/volume] in Serum or Plasma',
		'pg/mL',
		[],
		['Free T3', 'FT3', 'T3 free', 'Free triiodothyronine']
	),
	test(
		'14928-6',
		'Triiodothyronine (T3) Free [Moles/volume] in Serum or Plasma',
		'pmol/L',
		[],
		['Free T3', 'FT3', 'T3 free', 'Free triiodothyronine']
	),
	test(
		'3026-2',
		'Thyroxine (T4) [Mass/volume] in Serum or Plasma',
		'ug/dL',
		[],
		['T4', 'Total T4', 'Thyroxine', 'T4 total']
	),
	test(
		'3053-6',
		'Triiodothyronine (T3) [Mass/volume] in Serum or Plasma',
		'ng/dL',
		[],
		['T3', 'Total T3', 'Triiodothyronine', 'T3 total']
	),
	test(
		'8099-4',
		'Thyroperoxidase Ab [Units/volume] in Serum or Plasma',
		'[IU]/mL',
		['k[IU]/L'],
		['TPO antibodies', 'Anti-TPO', 'Thyroid peroxidase antibodies', 'TPO Ab']
	),
	test(
		'2986-8',
		'Testosterone [Mass/volume] in Serum or Plasma',
		'ng/dL',
		[],
		['Testosterone', 'Total testosterone']
	),
	test(
		'14913-8',
		'Testosterone [Moles/volume] in Serum or Plasma',
		'nmol/L',
		[],
		['Testosterone', 'Total testosterone']
	),
	test(
		'2243-4',
		'Estradiol (E2) [Mass/volume] in Serum or Plasma',
		'pg/mL',
		[],
		['Estradiol', 'Oestradiol', 'E2']
	),
	test(
		'14715-7',
		'Estradiol (E2) [Moles/volume] in Serum or Plasma',
		'pmol/L',
		[],
		['Estradiol', 'Oestradiol', 'E2']
	),
	test(
		'15067-2',
		'Follitropin [Units/volume] in Serum or Plasma',
		'm[IU]/mL',
		['[IU]/L'],
		['FSH', 'Follicle stimulating hormone', 'Follitropin']
	),
	test(
		'10501-5',
		'Lutropin [Units/volume] in Serum or Plasma',
		'm[IU]/mL',
		['[IU]/L'],
		['LH', 'Luteinizing hormone', 'Luteinising hormone', 'Lutropin']
	),
	test(
		'2842-3',
		'Prolactin [Mass/volume] in Serum or Plasma',
		'ng/mL',
		['ug/L'],
		['Prolactin', 'PRL']
	),
	test(
		'2143-6',
		'Cortisol [Mass/volume] in Serum or Plasma',
		'ug/dL',
		[],
		['Cortisol', 'Serum cortisol', 'Random cortisol']
	),
	test(
		'14675-3',
		'Cortisol [Moles/volume] in Serum or Plasma',
		'nmol/L',
		[],
		['Cortisol', 'Serum cortisol', 'Random cortisol']
	),
	test(
		'21198-7',
		'Choriogonadotropin.beta subunit [Units/volume] in Serum or Plasma',
		'm[IU]/mL',
		['[IU]/L'],
		['Beta hCG', 'hCG', 'B-hCG', 'Quantitative hCG', 'hCG beta']
	),

	// Iron and vitamins
	test(
		'2276-4',
		'Ferritin [Mass/volume] in Serum or Plasma',
		'ng/mL',
		['ug/L'],
		['Ferritin', 'Serum ferritin']
	),
	test(
		'2498-4',
		'Iron [Mass/volume] in Serum or Plasma',
		'ug/dL',
		[],
		['Iron', 'Serum iron', 'Fe', 'Iron total']
	),
	test(
		'14798-3',
		'Iron [Moles/volume] in Serum or Plasma',
		'umol/L',
		[],
		['Iron', 'Serum iron', 'Fe', 'Iron total']
	),
	test(
		'2500-7',
		'Iron binding capacity [Mass/volume] in Serum or Plasma',
		'ug/dL',
		[],
		['TIBC', 'Total iron binding capacity', 'Iron binding capacity']
	),
	test(
		'14800-7',
		'Iron binding capacity [Moles/volume] in Serum or Plasma',
		'umol/L',
		[],
		['TIBC', 'Total iron binding capacity', 'Iron binding capacity']
	),
	test(
		'2502-3',
		'Iron saturation [Mass Fraction] in Serum or Plasma',
		'%',
		[],
		['Transferrin saturation', 'Iron saturation', 'TSAT', 'Percent saturation', '% saturation']
	),
	test('3034-6', 'Transferrin [Mass/volume] in Serum or Plasma', 'mg/dL', ['g/L'], ['Transferrin']),
	test(
		'2132-9',
		'Cobalamin (Vitamin B12) [Mass/volume] in Serum or Plasma',
		'pg/mL',
		['ng/L'],
		['Vitamin B12', 'B12', 'Cobalamin', 'Serum B12']
	),
	test(
		'14685-2',
		'Cobalamin (Vitamin B12) [Moles/volume] in Serum or Plasma',
		'pmol/L',
		[],
		['Vitamin B12', 'B12', 'Cobalamin', 'Serum B12']
	),
	test(
		'2284-8',
		'Folate [Mass/volume] in Serum or Plasma',
		'ng/mL',
		['ug/L'],
		['Folate', 'Serum folate', 'Folic acid']
	),
	test('4542-7', 'Haptoglobin [Mass/volume] in Serum or Plasma', 'mg/dL', ['g/L'], ['Haptoglobin']),

	// Cardiac, inflammation, tumour markers
	test(
		'1988-5',
		'C reactive protein [Mass/volume] in Serum or Plasma',
		'mg/L',
		['mg/dL'],
		['CRP', 'C-reactive protein', 'C reactive protein']
	),
	test(
		'30522-7',
		'C reactive protein [Mass/volume] in Serum or Plasma by High sensitivity method',
		'mg/L',
		[],
		['hs-CRP', 'hsCRP', 'High sensitivity CRP', 'CRP high sensitivity']
	),
	test(
		'33959-8',
		'Procalcitonin [Mass/volume] in Serum or Plasma',
		'ng/mL',
		['ug/L'],
		['Procalcitonin', 'PCT']
	),
	test(
		'10839-9',
		'Troponin I.cardiac [Mass/volume] in Serum or Plasma',
		'ng/mL',
		[],
		['Troponin I', 'TnI', 'cTnI']
	),
	test(
		'89579-7',
		'Troponin I.cardiac [Mass/volume] in Serum or Plasma by High sensitivity method',
		'ng/L',
		[],
		['hs-Troponin I', 'High sensitivity troponin I', 'hs-cTnI', 'Troponin I high sensitivity']
	),
	test(
		'6598-7',
		'Troponin T.cardiac [Mass/volume] in Serum or Plasma',
		'ug/L',
		['ng/mL'],
		['Troponin T', 'TnT', 'cTnT']
	),
	test(
		'67151-1',
		'Troponin T.cardiac [Mass/volume] in Serum or Plasma by High sensitivity method',
		'ng/L',
		[],
		[
			'hs-Troponin T',
			'High sensitivity troponin T',
			'hs-cTnT',
			'hsTnT',
			'Troponin T high sensitivity'
		]
	),
	test(
		'33762-6',
		'Natriuretic peptide.B prohormone N-Terminal [Mass/volume] in Serum or Plasma',
		'pg/mL',
		['ng/L'],
		['NT-proBNP', 'NT proBNP', 'N-terminal pro-BNP', 'N-terminal pro B-type natriuretic peptide']
	),
	test(
		'30934-4',
		'Natriuretic peptide B [Mass/volume] in Serum or Plasma',
		'pg/mL',
		['ng/L'],
		['BNP', 'B-type natriuretic peptide', 'Brain natriuretic peptide']
	),
	test(
		'2157-6',
		'Creatine kinase [Enzymatic activity/volume] in Serum or Plasma',
		'U/L',
		[],
		['CK', 'CPK', 'Creatine kinase', 'Creatine phosphokinase', 'Total CK']
	),
	test(
		'2524-7',
		'Lactate [Moles/volume] in Serum or Plasma',
		'mmol/L',
		[],
		['Lactate', 'Lactic acid']
	),
	test(
		'2857-1',
		'Prostate specific Ag [Mass/volume] in Serum or Plasma',
		'ng/mL',
		['ug/L'],
		['PSA', 'Total PSA', 'Prostate specific antigen', 'PSA total']
	),
	test(
		'10886-0',
		'Prostate Specific Ag Free [Mass/volume] in Serum or Plasma',
		'ng/mL',
		['ug/L'],
		['Free PSA', 'PSA free']
	),
	test(
		'2039-6',
		'Carcinoembryonic Ag [Mass/volume] in Serum or Plasma',
		'ng/mL',
		['ug/L'],
		['CEA', 'Carcinoembryonic antigen']
	),
	test(
		'10334-1',
		'Cancer Ag 125 [Units/volume] in Serum or Plasma',
		'U/mL',
		['kU/L'],
		['CA 125', 'CA-125', 'CA125', 'Cancer antigen 125']
	),
	test(
		'1834-1',
		'Alpha-1-Fetoprotein [Mass/volume] in Serum or Plasma',
		'ng/mL',
		['ug/L', 'k[IU]/L'],
		['AFP', 'Alpha-fetoprotein', 'Alpha fetoprotein']
	),

	// Immunology
	test(
		'2458-8',
		'IgA [Mass/volume] in Serum or Plasma',
		'mg/dL',
		['g/L'],
		['IgA', 'Immunoglobulin A']
	),
	test(
		'2465-3',
		'IgG [Mass/volume] in Serum or Plasma',
		'mg/dL',
		['g/L'],
		['IgG', 'Immunoglobulin G']
	),
	test(
		'2472-9',
		'IgM [Mass/volume] in Serum or Plasma',
		'mg/dL',
		['g/L'],
		['IgM', 'Immunoglobulin M']
	),
	test(
		'19113-0',
		'IgE [Units/volume] in Serum or Plasma',
		'[IU]/mL',
		['k[IU]/L'],
		['IgE', 'Total IgE', 'Immunoglobulin E']
	),
	test(
		'4485-9',
		'Complement C3 [Mass/volume] in Serum or Plasma',
		'mg/dL',
		['g/L'],
		['C3', 'Complement C3']
	),
	test(
		'4498-2',
		'Complement C4 [Mass/volume] in Serum or Plasma',
		'mg/dL',
		['g/L'],
		['C4', 'Complement C4']
	),
	test(
		'11572-5',
		'Rheumatoid factor [Units/volume] in Serum or Plasma',
		'[IU]/mL',
		['k[IU]/L'],
		['Rheumatoid factor', 'RF', 'RhF']
	),
	test(
		'8061-4',
		'Nuclear Ab [Presence] in Serum',
		null,
		[],
		['ANA', 'Antinuclear antibodies', 'Antinuclear antibody', 'ANA screen']
	),
	test(
		'31017-7',
		'Tissue transglutaminase IgA Ab [Units/volume] in Serum',
		'U/mL',
		[],
		['tTG IgA', 'Tissue transglutaminase IgA', 'Anti-tTG IgA', 'TTG antibody']
	),

	// Serology and microbiology
	test(
		'5196-1',
		'Hepatitis B virus surface Ag [Presence] in Serum by Immunoassay',
		null,
		[],
		['HBsAg', 'Hepatitis B surface antigen', 'Hep B surface antigen']
	),
	test(
		'16935-9',
		'Hepatitis B virus surface Ab [Units/volume] in Serum',
		'm[IU]/mL',
		['[IU]/L'],
		['Anti-HBs', 'HBsAb', 'Hepatitis B surface antibody', 'Hep B surface antibody']
	),
	test(
		'13955-0',
		'Hepatitis C virus Ab [Presence] in Serum or Plasma by Immunoassay',
		null,
		[],
		['Anti-HCV', 'HCV antibody', 'Hepatitis C antibody', 'Hep C antibody', 'HCV Ab']
	),
	test(
		'56888-1',
		'HIV 1+2 Ab+HIV1 p24 Ag [Presence] in Serum or Plasma by Immunoassay',
		null,
		[],
		['HIV 1+2 Ab/Ag', 'HIV Ag/Ab', 'HIV antigen/antibody', 'HIV 4th generation', 'HIV screen']
	),
	test('20507-0', 'Reagin Ab [Presence] in Serum by RPR', null, [], ['RPR', 'Rapid plasma reagin']),
	test('600-7', 'Bacteria identified in Blood by Culture', null, [], ['Blood culture'], {
		scale: 'Nom'
	}),
	test(
		'630-4',
		'Bacteria identified in Urine by Culture',
		null,
		[],
		['Urine culture', 'MSU culture', 'Culture urine'],
		{ scale: 'Nom', specimen: 'urine' }
	),
	test(
		'2335-8',
		'Hemoglobin.gastrointestinal [Presence] in Stool',
		null,
		[],
		['Fecal occult blood', 'Occult blood stool', 'FOB', 'FOBT', 'Stool occult blood'],
		{ specimen: 'stool' }
	),

	// Blood bank
	test('883-9', 'ABO group [Type] in Blood', null, [], ['ABO group', 'ABO', 'Blood group'], {
		scale: 'Nom'
	}),
	test('10331-7', 'Rh [Type] in Blood', null, [], ['Rh', 'Rh type', 'Rh(D)', 'RhD', 'Rhesus'], {
		scale: 'Nom'
	}),
	test(
		'890-4',
		'Blood group antibody screen [Presence] in Serum or Plasma',
		null,
		[],
		['Antibody screen', 'Red cell antibody screen', 'Blood group antibody screen']
	),

	// Blood gases
	test('2744-1', 'pH of Arterial blood', '[pH]', [], ['pH', 'Arterial pH', 'pH arterial']),
	test(
		'2019-8',
		'Carbon dioxide [Partial pressure] in Arterial blood',
		'mm[Hg]',
		['kPa'],
		['pCO2', 'PaCO2', 'Partial pressure CO2', 'pCO2 arterial']
	),
	test(
		'2703-7',
		'Oxygen [Partial pressure] in Arterial blood',
		'mm[Hg]',
		['kPa'],
		['pO2', 'PaO2', 'Partial pressure O2', 'pO2 arterial']
	),
	test(
		'2708-6',
		'Oxygen saturation in Arterial blood',
		'%',
		[],
		['SaO2', 'O2 saturation', 'Oxygen saturation', 'sO2']
	),
	test(
		'1925-7',
		'Base excess in Arterial blood by calculation',
		'mmol/L',
		['meq/L'],
		['Base excess', 'BE', 'Base excess arterial']
	),
	test(
		'1960-4',
		'Bicarbonate [Moles/volume] in Arterial blood',
		'mmol/L',
		['meq/L'],
		['Actual bicarbonate', 'HCO3 arterial', 'cHCO3']
	),

	// Drug levels
	test('10535-3', 'Digoxin [Mass/volume] in Serum or Plasma', 'ng/mL', ['ug/L'], ['Digoxin']),
	test(
		'14334-7',
		'Lithium [Moles/volume] in Serum or Plasma',
		'mmol/L',
		['meq/L'],
		['Lithium', 'Li']
	),
	test(
		'3968-5',
		'Phenytoin [Mass/volume] in Serum or Plasma',
		'ug/mL',
		['mg/L'],
		['Phenytoin', 'Dilantin']
	),
	test(
		'4086-5',
		'Valproate [Mass/volume] in Serum or Plasma',
		'ug/mL',
		['mg/L'],
		['Valproate', 'Valproic acid']
	),
	test(
		'3432-2',
		'Carbamazepine [Mass/volume] in Serum or Plasma',
		'ug/mL',
		['mg/L'],
		['Carbamazepine', 'Tegretol']
	),
	test(
		'4092-3',
		'Vancomycin [Mass/volume] in Serum or Plasma --trough',
		'ug/mL',
		['mg/L'],
		['Vancomycin trough', 'Vancomycin', 'Vanc trough']
	),

	// Urinalysis
	test(
		'5811-5',
		'Specific gravity of Urine by Test strip',
		'1',
		[],
		['Specific gravity', 'SG', 'Sp gravity', 'Urine specific gravity'],
		urine
	),
	test('5803-2', 'pH of Urine by Test strip', '[pH]', [], ['pH', 'Urine pH'], urine),
	test(
		'5804-0',
		'Protein [Mass/volume] in Urine by Test strip',
		'mg/dL',
		['g/L'],
		['Protein', 'Urine protein', 'Protein urine', 'Albumin dipstick'],
		urine
	),
	test(
		'5792-7',
		'Glucose [Mass/volume] in Urine by Test strip',
		'mg/dL',
		['mmol/L'],
		['Glucose', 'Urine glucose', 'Glucose urine', 'Sugar'],
		urine
	),
	test(
		'5797-6',
		'Ketones [Mass/volume] in Urine by Test strip',
		'mg/dL',
		['mmol/L'],
		['Ketones', 'Ketone', 'Urine ketones', 'Ketone bodies'],
		urine
	),
	test(
		'5794-3',
		'Hemoglobin [Presence] in Urine by Test strip',
		null,
		[],
		['Blood', 'Urine blood', 'Occult blood', 'Hemoglobin', 'Blood urine'],
		urine
	),
	test(
		'5802-4',
		'Nitrite [Presence] in Urine by Test strip',
		null,
		[],
		['Nitrite', 'Nitrites', 'Urine nitrite'],
		urine
	),
	test(
		'5799-2',
		'Leukocyte esterase [Presence] in Urine by Test strip',
		null,
		[],
		['Leukocyte esterase', 'Leucocyte esterase', 'Leukocytes', 'Leucocytes', 'Urine leucocytes'],
		urine
	),
	test(
		'5770-3',
		'Bilirubin.total [Presence] in Urine by Test strip',
		null,
		[],
		['Bilirubin', 'Urine bilirubin'],
		urine
	),
	test(
		'5818-0',
		'Urobilinogen [Mass/volume] in Urine by Test strip',
		'mg/dL',
		['umol/L'],
		['Urobilinogen', 'Urine urobilinogen'],
		urine
	),
	test('5778-6', 'Color of Urine', null, [], ['Color', 'Colour', 'Urine color'], {
		...urine,
		scale: 'Nom'
	}),
	test('5767-9', 'Appearance of Urine', null, [], ['Appearance', 'Clarity', 'Urine appearance'], {
		...urine,
		scale: 'Nom'
	}),
	test(
		'5821-4',
		'Leukocytes [#/area] in Urine sediment by Microscopy high power field',
		'/[HPF]',
		[],
		['WBC/HPF', 'White cells per HPF', 'Urine WBC', 'WBC', 'Pus cells'],
		urine
	),
	test(
		'13945-1',
		'Erythrocytes [#/area] in Urine sediment by Microscopy high power field',
		'/[HPF]',
		[],
		['RBC/HPF', 'Red cells per HPF', 'Urine RBC', 'RBC'],
		urine
	),
	test(
		'2161-8',
		'Creatinine [Mass/volume] in Urine',
		'mg/dL',
		[],
		['Urine creatinine', 'Creatinine urine', 'Creatinine'],
		urine
	),
	test(
		'14683-7',
		'Creatinine [Moles/volume] in Urine',
		'mmol/L',
		['umol/L'],
		['Urine creatinine', 'Creatinine urine', 'Creatinine'],
		urine
	),
	test(
		'14957-5',
		'Microalbumin [Mass/volume] in Urine',
		'mg/L',
		[],
		['Microalbumin', 'Urine albumin', 'Albumin urine', 'Albumin'],
		urine
	),
	test(
		'9318-7',
		'Albumin/Creatinine [Mass Ratio] in Urine',
		'mg/g',
		['ug/mg'],
		[
			'Albumin/creatinine ratio',
			'Albumin:creatinine ratio',
			'ACR',
			'UACR',
			'Urine ACR',
			'Microalbumin/creatinine ratio'
		],
		urine
	),
	test(
		'32294-1',
		'Albumin/Creatinine [Ratio] in Urine',
		'mg/mmol',
		[],
		[
			'Albumin/creatinine ratio',
			'Albumin:creatinine ratio',
			'ACR',
			'UACR',
			'Urine ACR',
			'Microalbumin/creatinine ratio'
		],
		urine
	),
	test(
		'2890-2',
		'Protein/Creatinine [Mass Ratio] in Urine',
		'mg/g',
		['mg/mg'],
		['Protein/creatinine ratio', 'Protein:creatinine ratio', 'PCR', 'UPCR', 'Urine PCR'],
		urine
	),
	test(
		'2889-4',
		'Protein [Mass/time] in 24 hour Urine',
		'mg/(24.h)',
		['g/(24.h)'],
		['24 hour urine protein', 'Urine protein 24 hour', '24h urine protein', 'Protein 24 hour'],
		urine
	),
	test(
		'2955-3',
		'Sodium [Moles/volume] in Urine',
		'mmol/L',
		['meq/L'],
		['Urine sodium', 'Sodium urine', 'Sodium', 'Na'],
		urine
	),
	test(
		'2828-2',
		'Potassium [Moles/volume] in Urine',
		'mmol/L',
		['meq/L'],
		['Urine potassium', 'Potassium urine', 'Potassium', 'K'],
		urine
	),
	test(
		'2695-5',
		'Osmolality of Urine',
		'mosm/kg',
		[],
		['Urine osmolality', 'Osmolality urine', 'Osmolality'],
		urine
	)
];
