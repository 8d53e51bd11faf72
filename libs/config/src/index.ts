export { kafkaEnv, temporalEnv, logEnv, routerEnv, workerEnv, WORKER_CAPABILITIES } from './env-slices';
export type { WorkerCapability } from './env-slices';
export { ConfigError, parseEnv, validateWith, readProcessEnv } from './validate-env';
