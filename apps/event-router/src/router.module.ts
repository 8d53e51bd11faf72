import type { OnApplicationShutdown } from '@nestjs/common';
import { Inject, Logger, Module } from '@nestjs/common';
import { configModuleFor, typedConfigProvider } from '@mlsecops/config';
import { createKafka } from '@mlsecops/messaging';
import { Client, Connection } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { LifecycleRouter } from './lifecycle-router.service';
import { LifecycleConsumer } from './lifecycle.consumer';
import type { RouterConfig } from './router.config';
import { routerConfigSchema } from './router.config';
import { KAFKA, ROUTER_CONFIG, TEMPORAL_CLIENT } from './router.tokens';
import { WorkflowStarter } from './workflow-starter.service';

/** The event router app: Kafka intake consumer -> validation -> idempotent workflow starts. */
@Module({
  imports: [configModuleFor(routerConfigSchema)],
  providers: [
    typedConfigProvider(ROUTER_CONFIG, routerConfigSchema),
    {
      provide: KAFKA,
      inject: [ROUTER_CONFIG],
      useFactory: (config: RouterConfig) =>
        createKafka({ brokers: config.KAFKA_BROKERS, clientId: `${config.KAFKA_CLIENT_ID}-router` }, new Logger('kafka')),
    },
    {
      provide: TEMPORAL_CLIENT,
      inject: [ROUTER_CONFIG],
      // Lazy: the router starts even while Temporal is down; starts fail, are retried, nothing is committed.
      useFactory: (config: RouterConfig) =>
        new Client({
          connection: Connection.lazy({ address: config.TEMPORAL_ADDRESS }),
          namespace: config.TEMPORAL_NAMESPACE,
          interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
        }),
    },
    WorkflowStarter,
    LifecycleRouter,
    LifecycleConsumer,
  ],
})
export class RouterModule implements OnApplicationShutdown {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
  }
}
