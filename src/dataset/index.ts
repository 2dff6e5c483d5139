/** The dataset readers: JSONL, CSV and JSON array files (or JSONL on stdin) as re-readable row streams. */
export { openDataset, STDIN_PATH, type DatasetFormat, type OpenDatasetOptions } from './open.js';
export type { Dataset, RowFields, SourceRow } from './types.js';
