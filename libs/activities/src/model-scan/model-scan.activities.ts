import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import { ArtifactRoot } from '@mlsecops/artifact-store';
import type {
  Finding,
  ModelScanActivities,
  ModelScanVerdict,
  ScanModelArtifactInput,
  ScanModelArtifactResult,
} from '@mlsecops/contracts';
import { ScanAbortedError, scanPaths } from '@mlsecops/model-scanner';
import { toApplicationFailure } from '../shared/to-application-failure';

export interface ModelScanActivitiesDeps {
  /** The only directory models may be read from: an absolute path or an ArtifactRoot. */
  artifactRoot: string | ArtifactRoot;
  /** How often a long scan heartbeats (ms). */
  heartbeatEveryMs?: number;
}

const HEARTBEAT_MS = 5_000;
// The scan runs on the worker's event loop with synchronous reads: it yields this often so heartbeats,
// cancellation and the worker's other tasks keep running.
const YIELD_EVERY_MS = 20;

function worst(verdicts: ModelScanVerdict[]): ModelScanVerdict {
  if (verdicts.includes('inconclusive')) return 'inconclusive';
  return verdicts.includes('unsafe') ? 'unsafe' : 'safe';
}

/**
 * Model-scan activities for the `modelScan` task queue. `scanModelArtifact` resolves the URI under the
 * artifact root, scans every file by content (never loading it), heartbeats with the file and bytes in
 * progress, stops promptly when cancelled, and reports paths relative to the URI (no machine paths).
 */
export function createModelScanActivities(deps: ModelScanActivitiesDeps): ModelScanActivities {
  const root = typeof deps.artifactRoot === 'string' ? new ArtifactRoot(deps.artifactRoot) : deps.artifactRoot;
  return {
    async scanModelArtifact(input: ScanModelArtifactInput): Promise<ScanModelArtifactResult> {
      const ctx = Context.current();
      let progress: { file?: string; bytes: number } = { bytes: 0 };
      const timer = setInterval(() => ctx.heartbeat(progress), deps.heartbeatEveryMs ?? HEARTBEAT_MS);
      try {
        const artifact = await root.resolve(input.artifactUri);
        const display = (p: string): string =>
          p.startsWith(artifact.path) ? `${input.artifactUri}${p.slice(artifact.path.length)}` : p;
        ctx.heartbeat(progress);
        const report = await scanPaths([artifact.path], {
          signal: ctx.cancellationSignal,
          concurrency: 2,
          yieldEveryMs: YIELD_EVERY_MS,
          onProgress: (file, bytes) => {
            progress = { file: display(file), bytes };
          },
        });
        const results = report.results.map((r) => ({
          ...r,
          path: display(r.path),
          findings: r.findings.map((f) => ({ ...f, location: display(f.location) })),
        }));
        const findings: Finding[] = results.flatMap((r) =>
          r.findings.map((f) => ({
            code: f.ruleId,
            severity: f.severity,
            message: f.message,
            location: f.location,
            atlas: f.atlas,
            owasp: f.owasp,
          })),
        );
        return {
          artifactUri: input.artifactUri,
          verdict: worst(results.map((r) => r.verdict)),
          results,
          summary: report.summary,
          findings,
        };
      } catch (e: unknown) {
        if (e instanceof ScanAbortedError || ctx.cancellationSignal.aborted)
          throw new CancelledFailure('model scan cancelled');
        throw toApplicationFailure(e);
      } finally {
        clearInterval(timer);
      }
    },
  };
}
