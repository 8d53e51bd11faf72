export { CsvParser } from './reading/csv-parser';
export { openTable, toCell } from './reading/table-source';
export type { Cell, OpenTableOptions, TableBatch, TableSource } from './reading/table-source';
export { checkTabularDataset, scanTable, DEFAULT_CATEGORY_CAP, DEFAULT_VALUE_CAP } from './scan/dataset-scan';
export type { ScanProgress, TabularCheckOptions, TabularCheckResult } from './scan/dataset-scan';
export { hashRow, HashSet64 } from './scan/row-hash';
export { columnProfileSchema, datasetProfileSchema, numericSummarySchema, DATASET_PROFILE_KIND } from './profile/dataset-profile.schema';
export type { ColumnProfile, DatasetProfile, NumericSummary } from './profile/dataset-profile.schema';
