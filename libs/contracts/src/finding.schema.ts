import { z } from 'zod';

/** Severities shared by every control, highest first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export const severitySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severitySchema>;

/** Rank for comparisons: a larger number is more severe. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

/**
 * One piece of evidence raised by a control (data check, scanner, signing, policy). Engines keep their
 * richer native shapes; this is the common denominator that travels in workflow results and events.
 */
export const findingSchema = z.object({
  /** Stable rule or check id, e.g. `integrity.digest-mismatch`, `schema.type-mismatch`. */
  code: z.string().min(1),
  severity: severitySchema,
  message: z.string(),
  /** Where: a column, an archive member, a byte offset... free text a person can follow. */
  location: z.string().optional(),
  column: z.string().optional(),
  /** 0-based data row indices (capped); `rowCount` tells how many rows were affected in total. */
  rows: z.array(z.number().int().nonnegative()).optional(),
  rowCount: z.number().int().nonnegative().optional(),
  /** MITRE ATLAS technique/mitigation ids and OWASP ML Top 10 ids, for auditors. */
  atlas: z.array(z.string()).optional(),
  owasp: z.array(z.string()).optional(),
});
export type Finding = z.infer<typeof findingSchema>;

export const verdictSchema = z.enum(['pass', 'fail']);
export type Verdict = z.infer<typeof verdictSchema>;
