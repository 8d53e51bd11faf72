// Public surface for the integration suites in test/: they host the real worker module in-process.
export { WorkerModule } from './worker.module';
export { TemporalWorkerService } from './temporal-worker.service';
export { workerConfigSchema } from './worker.config';
export type { WorkerConfig } from './worker.config';
