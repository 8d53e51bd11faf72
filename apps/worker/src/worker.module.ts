import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { ArtifactRoot } from '@mlsecops/artifact-store';
import { fileKeyProvider } from '@mlsecops/model-signing';
import { configModuleFor, typedConfigProvider } from '@mlsecops/config';
import type { Telemetry } from '@mlsecops/telemetry';
import { buildActivityRegistry } from './activity-registry';
import { KafkaResultPublisher } from './result-publisher.provider';
import { TemporalWorkerService } from './temporal-worker.service';
import type { WorkerConfig } from './worker.config';
import { workerConfigSchema } from './worker.config';
import { ACTIVITIES_BY_QUEUE, RESULT_PUBLISHER, TELEMETRY, WORKER_CONFIG } from './worker.tokens';

/** The worker app: config, the activity registry and the Temporal workers that serve it. */
@Module({})
export class WorkerModule {
  static forRoot(telemetry: Telemetry): DynamicModule {
    return {
      module: WorkerModule,
      imports: [configModuleFor(workerConfigSchema)],
      providers: [
        { provide: TELEMETRY, useValue: telemetry },
        typedConfigProvider(WORKER_CONFIG, workerConfigSchema),
        { provide: RESULT_PUBLISHER, useClass: KafkaResultPublisher },
        {
          provide: ACTIVITIES_BY_QUEUE,
          inject: [WORKER_CONFIG, RESULT_PUBLISHER],
          useFactory: (config: WorkerConfig, publisher: KafkaResultPublisher) =>
            buildActivityRegistry({
              artifactRoot: new ArtifactRoot(config.MLSECOPS_ARTIFACT_ROOT),
              evidenceDir: config.MLSECOPS_EVIDENCE_DIR,
              publisher,
              keyProvider: fileKeyProvider({
                privateKeyPath: config.MLSECOPS_SIGNING_KEY_PATH,
                publicKeyPath: config.MLSECOPS_SIGNING_PUBLIC_KEY_PATH,
                passphrase: config.MLSECOPS_SIGNING_KEY_PASSWORD,
              }),
            }),
        },
        TemporalWorkerService,
      ],
    };
  }
}
