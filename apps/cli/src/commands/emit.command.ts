import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { TOPICS, parseIntakeEvent } from '@mlsecops/contracts';
import { CliExit, EXIT } from '../cli-exit';
import { emit, note } from '../output';

/** `mlsecops emit FILE.json`: validate a lifecycle event exactly as the router will, then publish it. */
export function registerEmitCommand(program: Command): void {
  program
    .command('emit')
    .description('validate a lifecycle CloudEvent (JSON file) and publish it to the intake topic')
    .argument('<file>', 'CloudEvent JSON (structured mode)')
    .option('--new-id', 'replace id and time with fresh values (re-run a check for the same dataset)')
    .action(async (file: string, options: { newId?: boolean }) => {
      const raw = await readJson(file);
      if (options.newId) Object.assign(raw, { id: randomUUID(), time: new Date().toISOString() });
      const parsed = parseIntakeEvent(raw);
      if (!parsed.ok)
        throw new CliExit(EXIT.failed, `${file} is not a valid lifecycle event (${parsed.reason}): ${parsed.detail}`);
      // A trace starts here, so the platform's work joins the caller's trace (exported only if OTEL_* says so).
      const { startTelemetryFromEnv } = await import('@mlsecops/telemetry');
      const telemetry = startTelemetryFromEnv('mlsecops-cli', 'none');
      const { trace } = await import('@opentelemetry/api');
      const { publisherFromEnv } = await import('../platform-clients');
      const publisher = publisherFromEnv();
      await publisher.connect();
      try {
        await trace.getTracer('mlsecops-cli').startActiveSpan('mlsecops emit', async (span) => {
          try {
            await publisher.publish(TOPICS.lifecycle, parsed.event);
            note(
              `published ${parsed.event.type} ${parsed.event.id} to ${TOPICS.lifecycle} [trace ${span.spanContext().traceId}]`,
            );
          } finally {
            span.end();
          }
        });
      } finally {
        await publisher.disconnect();
        await telemetry.shutdown();
      }
      await emit(parsed.event.id);
    });
}

async function readJson(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e: unknown) {
    throw new CliExit(EXIT.usage, `cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object');
    return value as Record<string, unknown>;
  } catch (e: unknown) {
    throw new CliExit(EXIT.failed, `${file} is not a JSON object: ${(e as Error).message}`);
  }
}
