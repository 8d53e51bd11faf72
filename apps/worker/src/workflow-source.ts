import { existsSync } from 'node:fs';
import type { WorkerOptions } from '@temporalio/worker';

/**
 * Where the worker gets workflow code: a prebuilt bundle (production, `npm run build` writes it) or, when
 * there is none, the workflows package bundled at start (development and tests).
 */
export function workflowSource(
  bundlePath: string | undefined,
): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  if (bundlePath) {
    if (!existsSync(bundlePath)) throw new Error(`WORKFLOW_BUNDLE_PATH: no bundle at ${bundlePath}; run npm run build`);
    return { workflowBundle: { codePath: bundlePath } };
  }
  return { workflowsPath: require.resolve('@mlsecops/workflows') };
}
