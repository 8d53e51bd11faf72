import type { Command } from 'commander';
import type { WorkflowStatus } from '@mlsecops/contracts';
import { SEARCH_ATTRIBUTES, STATUS_QUERY } from '@mlsecops/contracts';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { CliExit, EXIT } from '../cli-exit';
import { emit } from '../output';

interface RunStatus {
  workflowId: string;
  runId: string;
  workflowType: string;
  status: string;
  stage: string | undefined;
  verdict: string | undefined;
  findings: number | undefined;
  startTime: string;
  closeTime: string | undefined;
}

/** `mlsecops status EVENT_ID`: the workflow(s) an event started, found by the EventId search attribute. */
export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('show the stage and verdict of the workflow started by a lifecycle event')
    .argument('<eventId>', 'the CloudEvents id that was emitted')
    .option('--format <format>', 'text or json', 'text')
    .option('--wait <seconds>', 'wait until the run completes (up to this many seconds)')
    .action(async (eventId: string, options: { format: string; wait?: string }) => {
      if (!['text', 'json'].includes(options.format)) throw new CliExit(EXIT.usage, `--format must be text or json`);
      const waitSeconds = options.wait === undefined ? 0 : Number(options.wait);
      if (!Number.isFinite(waitSeconds) || waitSeconds < 0)
        throw new CliExit(EXIT.usage, '--wait takes a number of seconds');
      const { temporalFromEnv } = await import('../platform-clients');
      const client = await temporalFromEnv();
      try {
        const deadline = Date.now() + waitSeconds * 1000;
        let runs = await findRuns(client, eventId);
        // Visibility is eventually consistent and runs take time: poll until done or the deadline.
        while (Date.now() < deadline && (runs.length === 0 || runs.some((r) => r.status === 'RUNNING'))) {
          await new Promise((r) => setTimeout(r, 500));
          runs = await findRuns(client, eventId);
        }
        if (runs.length === 0) throw new CliExit(EXIT.failed, `no workflow found for event ${eventId}`);
        await emit(options.format === 'json' ? JSON.stringify({ eventId, runs }, null, 2) : formatText(eventId, runs));
      } finally {
        await client.connection.close();
      }
    });
}

async function findRuns(client: Client, eventId: string): Promise<RunStatus[]> {
  const query = `${SEARCH_ATTRIBUTES.eventId} = '${eventId.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const runs: RunStatus[] = [];
  for await (const info of client.workflow.list({ query })) runs.push(await describe(client, info));
  return runs;
}

async function describe(client: Client, info: WorkflowExecutionInfo): Promise<RunStatus> {
  const attr = (name: string): string | undefined => {
    const value = info.searchAttributes[name];
    return Array.isArray(value) && value.length > 0 ? String(value[0]) : undefined;
  };
  let live: WorkflowStatus | undefined;
  if (info.status.name === 'RUNNING') {
    live = await client.workflow
      .getHandle(info.workflowId, info.runId)
      .query<WorkflowStatus>(STATUS_QUERY)
      .catch(() => undefined);
  }
  return {
    workflowId: info.workflowId,
    runId: info.runId,
    workflowType: info.type,
    status: info.status.name,
    stage: live?.stage ?? attr(SEARCH_ATTRIBUTES.pipelineStage),
    verdict: live?.verdict ?? attr(SEARCH_ATTRIBUTES.verdict),
    findings: live?.findings,
    startTime: info.startTime.toISOString(),
    closeTime: info.closeTime?.toISOString(),
  };
}

function formatText(eventId: string, runs: RunStatus[]): string {
  const lines = [`event ${eventId}`];
  for (const r of runs) {
    lines.push(
      `  ${r.workflowType} ${r.workflowId}`,
      `    status:  ${r.status}${r.closeTime ? ` (closed ${r.closeTime})` : ''}`,
      `    stage:   ${r.stage ?? '-'}`,
      `    verdict: ${r.verdict ?? 'pending'}${r.findings !== undefined ? ` (${r.findings} findings so far)` : ''}`,
    );
  }
  return lines.join('\n');
}
