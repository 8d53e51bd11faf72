export {
  kafkaEnv,
  temporalEnv,
  logEnv,
  routerEnv,
  workerEnv,
  telemetryEnv,
  signingEnv,
  WORKER_CAPABILITIES,
} from './env-slices';
export type { WorkerCapability } from './env-slices';
export { ConfigError, parseEnv, validateWith, readProcessEnv } from './validate-env';
export { configModuleFor, typedConfigProvider } from './nest-config';
