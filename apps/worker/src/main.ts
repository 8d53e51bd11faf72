import 'reflect-metadata';
import { telemetry } from './instrument';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Runtime } from '@temporalio/worker';
import { TemporalWorkerService } from './temporal-worker.service';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  // Nest owns SIGINT/SIGTERM (enableShutdownHooks) so shutdown runs in one order: workers drain, then exit.
  Runtime.install({ shutdownSignals: [] });
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(telemetry), { bufferLogs: false });
  app.enableShutdownHooks();
  // A failed worker triggers the normal shutdown path (SIGTERM), which exits the process with code 1.
  await app
    .get(TemporalWorkerService)
    .whenStopped()
    .catch(() => undefined);
}

bootstrap().catch(async (e: unknown) => {
  new Logger('worker').error(e instanceof Error ? e.message : String(e));
  await telemetry.shutdown();
  process.exit(1);
});
