export {
	requestAnalysis,
	runAnalysis,
	drainAnalyses,
	cancelAnalysis,
	forgetAnalysis,
	retryAnalysis,
	listAnalyses,
	type AnalysisDeps,
	type AnalysisView
} from './run-analysis.ts';
export { analysableRecords, defaultSelection, toAnalysisRecords } from './choose-records.ts';
export { AnalysisRequest } from './analysis-seal.ts';
