import type { DynamicModule, OnApplicationShutdown } from '@nestjs/common';
import type { Provider } from '@nestjs/common';
import { Inject, Logger, Module } from '@nestjs/common';
import { configModuleFor, typedConfigProvider } from '@mlsecops/config';
import { createKafka } from '@mlsecops/messaging';
import { Client, Connection } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { LifecycleRouter } from './lifecycle-router.service';
import { LifecycleConsumer } from './lifecycle.consumer';
import type { RouterConfig } from './router.config';
import { routerConfigSchema } from './router.config';
import { KAFKA, ROUTER_CONFIG, TELEMETRY, TEMPORAL_CLIENT } from './router.tokens';
import type { Telemetry } from '@mlsecops/telemetry';
import { WorkflowStarter } from './workflow-starter.service';

/**
 * The event router app: Kafka intake consumer -> validation -> idempotent workflow starts.
 * `forRoot()` reads the environment when called, not when this file is imported.
 */
@Module({})
export class RouterModule implements OnApplicationShutdown {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(TELEMETRY) private readonly telemetry: Telemetry | undefined,
  ) {}

  /** `telemetry` is flushed last on shutdown, so the spans of the final messages are exported. */
  static forRoot(telemetry?: Telemetry): DynamicModule {
    return {
      module: RouterModule,
      imports: [configModuleFor(routerConfigSchema)],
      providers: [...ROUTER_PROVIDERS, { provide: TELEMETRY, useValue: telemetry }],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
    await this.telemetry?.shutdown();
  }
}

const ROUTER_PROVIDERS: Provider[] = [
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
        connection: Connection.lazy({
          address: config.TEMPORAL_ADDRESS,
          // Reconnect within seconds after a Temporal outage (gRPC's default backoff grows to 2 minutes).
          channelArgs: { 'grpc.initial_reconnect_backoff_ms': 250, 'grpc.max_reconnect_backoff_ms': 5_000 },
        }),
        namespace: config.TEMPORAL_NAMESPACE,
        interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
      }),
  },
  WorkflowStarter,
  LifecycleRouter,
  LifecycleConsumer,
];
