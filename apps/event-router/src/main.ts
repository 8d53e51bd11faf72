import 'reflect-metadata';
import { telemetry } from './instrument';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { RouterModule } from './router.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(RouterModule.forRoot(telemetry));
  // SIGTERM/SIGINT: stop consuming, leave the group, close Temporal, flush spans; uncommitted work is redelivered.
  app.enableShutdownHooks();
}

bootstrap().catch(async (e: unknown) => {
  new Logger('event-router').error(e instanceof Error ? e.message : String(e));
  await telemetry.shutdown();
  process.exit(1);
});
