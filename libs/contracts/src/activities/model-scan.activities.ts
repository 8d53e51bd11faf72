import { z } from 'zod';
import { findingSchema, severitySchema } from '../finding.schema';

/** Verdict of one scanned file; `inconclusive` blocks like `unsafe` (fail closed). */
export const modelScanVerdictSchema = z.enum(['safe', 'unsafe', 'inconclusive']);
export type ModelScanVerdict = z.infer<typeof modelScanVerdictSchema>;

/** One scanner finding: rule id, severity, where, and the ATLAS / OWASP ML ids (same shape as `mlsecops scan --format json`). */
export const modelScanFindingSchema = z.object({
  ruleId: z.string().min(1),
  severity: severitySchema,
  message: z.string(),
  location: z.string(),
  atlas: z.array(z.string()),
  owasp: z.array(z.string()),
});
export type ModelScanFinding = z.infer<typeof modelScanFindingSchema>;

export const modelScanFileResultSchema = z.object({
  path: z.string(),
  format: z.string(),
  verdict: modelScanVerdictSchema,
  findings: z.array(modelScanFindingSchema),
});
export type ModelScanFileResult = z.infer<typeof modelScanFileResultSchema>;

export const modelScanSummarySchema = z.object({
  scanned: z.number().int().nonnegative(),
  safe: z.number().int().nonnegative(),
  unsafe: z.number().int().nonnegative(),
  inconclusive: z.number().int().nonnegative(),
});

export const scanModelArtifactInputSchema = z.object({
  /** `file:` URI or path relative to the worker's artifact root: a model file or a model directory. */
  artifactUri: z.string().min(1),
});
export type ScanModelArtifactInput = z.infer<typeof scanModelArtifactInputSchema>;

export const scanModelArtifactResultSchema = z.object({
  artifactUri: z.string(),
  /** Worst verdict over all files: inconclusive > unsafe > safe. */
  verdict: modelScanVerdictSchema,
  results: z.array(modelScanFileResultSchema),
  summary: modelScanSummarySchema,
  /** The same findings in the platform's common shape, as evidence for later stages (policy, approvals). */
  findings: z.array(findingSchema),
});
export type ScanModelArtifactResult = z.infer<typeof scanModelArtifactResultSchema>;

/** The model-scan activities, served on the `modelScan` task queue. */
export interface ModelScanActivities {
  /** Scans a model file or directory under the artifact root without loading it; heartbeats, cancellable. */
  scanModelArtifact(input: ScanModelArtifactInput): Promise<ScanModelArtifactResult>;
}

export const MODEL_SCAN_ACTIVITY_QUEUES = {
  scanModelArtifact: 'modelScan',
} as const satisfies Record<keyof ModelScanActivities, string>;
