import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { TaskQueue } from '@mlsecops/contracts';
import { TASK_QUEUES } from '@mlsecops/contracts';
import type { WorkerCapability } from '@mlsecops/config';
import type { Telemetry } from '@mlsecops/telemetry';
import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { ActivitiesByQueue } from './activity-registry';
import type { WorkerConfig } from './worker.config';
import { ACTIVITIES_BY_QUEUE, TELEMETRY, WORKER_CONFIG } from './worker.tokens';
import { workflowSource } from './workflow-source';

const QUEUE_OF: Record<WorkerCapability, TaskQueue> = {
  orchestration: TASK_QUEUES.orchestration,
  'data-checks': TASK_QUEUES.dataChecks,
  'model-scan': TASK_QUEUES.modelScan,
  signing: TASK_QUEUES.signing,
  results: TASK_QUEUES.results,
};

/**
 * Runs one Temporal worker per capability this process serves. Workflows run only on the orchestration
 * queue; each other queue runs its capability's activities. Shutdown drains in-flight tasks first.
 */
@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TemporalWorkerService.name);
  private connection: NativeConnection | undefined;
  private workers: Worker[] = [];
  private running: Promise<void> | undefined;

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(ACTIVITIES_BY_QUEUE) private readonly activities: ActivitiesByQueue,
    @Inject(TELEMETRY) private readonly telemetry: Telemetry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.connection = await NativeConnection.connect({ address: this.config.TEMPORAL_ADDRESS });
    const plugins = [
      new OpenTelemetryPlugin({ resource: this.telemetry.resource, spanProcessor: this.telemetry.spanProcessor }),
    ];
    for (const capability of this.config.WORKER_CAPABILITIES) {
      const taskQueue = QUEUE_OF[capability];
      const isOrchestration = capability === 'orchestration';
      const activities = this.activities[taskQueue] ?? {};
      if (!isOrchestration && Object.keys(activities).length === 0) {
        this.logger.warn(`no activities registered for ${taskQueue}; not polling it`);
        continue;
      }
      this.workers.push(
        await Worker.create({
          connection: this.connection,
          namespace: this.config.TEMPORAL_NAMESPACE,
          taskQueue,
          plugins,
          shutdownGraceTime: '20 seconds',
          ...(isOrchestration ? workflowSource(this.config.WORKFLOW_BUNDLE_PATH) : { activities }),
        }),
      );
      this.logger.log(`serving task queue ${taskQueue} (${isOrchestration ? 'workflows' : 'activities'})`);
    }
    // Any worker failing is fatal for the process: the orchestrator restarts it, nothing runs half-served.
    this.running = Promise.all(this.workers.map((w) => w.run())).then(() => undefined);
    this.running.catch((e: unknown) => {
      this.logger.error(`worker stopped with an error: ${(e as Error).message}`);
      process.exitCode = 1;
      // Take the whole app down through the normal shutdown path (producers closed, spans flushed).
      process.kill(process.pid, 'SIGTERM');
    });
  }

  async onApplicationShutdown(): Promise<void> {
    for (const w of this.workers) if (w.getState() === 'RUNNING') w.shutdown();
    await this.running?.catch(() => undefined);
    await this.connection?.close();
    this.logger.log('workers drained and stopped');
    await this.telemetry.shutdown();
  }

  /** Resolves when all workers have stopped (for tests and main). */
  whenStopped(): Promise<void> {
    return this.running ?? Promise.resolve();
  }
}
