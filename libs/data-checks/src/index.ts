export { CsvParser } from './reading/csv-parser';
export { openTable, toCell } from './reading/table-source';
export type { Cell, OpenTableOptions, TableBatch, TableSource } from './reading/table-source';
export { checkTabularDataset, scanTable, DEFAULT_CATEGORY_CAP, DEFAULT_VALUE_CAP } from './scan/dataset-scan';
export type { ScanProgress, TabularCheckOptions, TabularCheckResult } from './scan/dataset-scan';
export { hashRow, HashSet64 } from './scan/row-hash';
export {
  columnProfileSchema,
  datasetProfileSchema,
  numericSummarySchema,
  DATASET_PROFILE_KIND,
} from './profile/dataset-profile.schema';
export type { ColumnProfile, DatasetProfile, NumericSummary } from './profile/dataset-profile.schema';
export { ks2Samp, kolmogorovSf, smirnovSf, KS_EXACT_MAX_N } from './stats/kolmogorov-smirnov';
export type { KsResult } from './stats/kolmogorov-smirnov';
export { chi2Sf, normalCdf, logGamma } from './stats/special-functions';
export {
  DRIFT_METHODS,
  DEFAULT_THRESHOLDS,
  METHOD_KIND,
  runMethod,
  normedWasserstein,
  chiSquare,
  zTest,
  jensenShannon,
  klDivergence,
  binned,
} from './drift/drift-methods';
export type { DriftMethod, DriftSide, FeatureType, MethodResult } from './drift/drift-methods';
export { sturgesEdges, histogram, countsOfSorted } from './drift/binning';
export type { Counts } from './drift/binning';
export { compareProfiles, defaultMethod, featureType } from './drift/drift-report';
export type { ColumnDriftOverride, DriftColumnResult, DriftOptions, DriftReport } from './drift/drift-report';
export { detectFormat, loadProfile, profileForDrift, profileForDriftInWorker } from './profile/profile-io';
export type { DriftProfileOptions } from './profile/profile-io';
export { profilesForDrift } from './profile/drift-inputs';
export type { DriftInputOptions } from './profile/drift-inputs';
export { profileSpecs, NULL_RATE_JUMP } from './scan/dataset-scan';
export type { RowVisitor } from './scan/dataset-scan';
export type { ColumnExpectation } from './scan/column-accumulator';
export { checkData, findingKind, FINDING_KINDS, FAIL_AT } from './scan/check-data';
export type { CheckDataOptions, CheckDataResult, FindingKind } from './scan/check-data';
export type { DataFinding } from './scan/data-finding';
export { PiiVisitor } from './pii/pii-visitor';
export type { PiiScanOptions } from './pii/pii-visitor';
export { recognizePii, luhnValid, ibanValid, ssnValid, PII_ENTITIES } from './pii/pii-recognizers';
export type { PiiEntity, PiiMatch } from './pii/pii-recognizers';
export { LabelVisitor } from './poisoning/label-visitor';
export type { LabelCheckOptions } from './poisoning/label-visitor';
export { knnLabelDisagreement } from './poisoning/knn-label-disagreement';
export {
  createDatasetManifest,
  verifyDatasetManifest,
  parseDatasetManifest,
  readDatasetManifest,
  datasetManifestSchema,
  DATASET_MANIFEST_KIND,
} from './integrity/dataset-manifest';
export type {
  DatasetManifest,
  DatasetManifestOptions,
  DatasetManifestVerification,
} from './integrity/dataset-manifest';
export { LabelCorrelationVisitor, correlationShiftFindings, CORRELATION_SHIFT } from './poisoning/label-correlation';
