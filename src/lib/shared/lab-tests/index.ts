export { LabTest, LabTestScale, LabTestSpecimen, acceptedUnits } from './lab-test.ts';
export { LAB_TESTS } from './lab-test-table.ts';
export { normaliseTestName } from './lab-test-name.ts';
export { buildLabTestIndex, labTestIndex, type LabTestIndex } from './lab-test-index.ts';
