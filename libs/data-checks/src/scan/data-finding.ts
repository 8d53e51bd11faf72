import type { Finding } from '@mlsecops/contracts';

/** A contracts `Finding` with the extra fields data checks report: PII entity and detector score. */
export type DataFinding = Finding & { entity?: string; score?: number };
