import type { Severity } from '@mlsecops/contracts';

/** `inconclusive` blocks like `unsafe`: what the scanner could not fully parse is never called safe. */
export type ScanVerdict = 'safe' | 'unsafe' | 'inconclusive';

/** Formats the scanner recognises by content (magic bytes and structure, never by extension alone). */
export type ModelFormat =
  | 'pickle'
  | 'pytorch-zip'
  | 'pytorch-legacy'
  | 'pytorch-tar'
  | 'numpy-npy'
  | 'numpy-npz'
  | 'joblib'
  | 'keras-v3'
  | 'keras-h5'
  | 'hdf5'
  | 'tf-savedmodel'
  | 'onnx'
  | 'safetensors'
  | 'gguf'
  | 'sentencepiece'
  | 'tflite'
  | 'msgpack'
  | 'zip'
  | 'tar'
  | 'text'
  | 'tensor-data'
  | 'unknown';

/** One piece of evidence: rule id, severity, where, and the ATLAS / OWASP ML ids auditors map it to. */
export interface ModelFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** Archive member path and/or byte offset, e.g. `archive/data.pkl@123`. */
  location: string;
  atlas: string[];
  owasp: string[];
}

export interface FileScanResult {
  /** The path as given on the command line (or the artifact URI), members of directories joined to it. */
  path: string;
  format: ModelFormat;
  verdict: ScanVerdict;
  findings: ModelFinding[];
}

export interface ScanSummary {
  scanned: number;
  safe: number;
  unsafe: number;
  inconclusive: number;
}

export interface ScanReport {
  results: FileScanResult[];
  summary: ScanSummary;
}
